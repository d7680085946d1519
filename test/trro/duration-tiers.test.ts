// The duration tiers of GetTotalDuration / GetDurationDetails (duration-tiers.ts), pure.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { durationFields, tierOf } from "../../src/products/trro/duration-tiers.ts";

test("resolutions fall into the tier of their pixel count, limits included", () => {
  const cases: [string, string][] = [
    ["", "Voice"],
    ["garbage", "Voice"],
    ["640*480", "SD"],
    ["640*481", "HD"],
    ["1280*720", "HD"],
    ["1280*721", "FHD"],
    ["1080*1920", "FHD"], // portrait counts the same pixels
    ["1920*1080", "FHD"],
    ["2560*1440", "TwoK"],
    ["2560*1441", "FourK"],
    ["3840*2160", "FourK"],
  ];
  for (const [res, tier] of cases) assert.equal(tierOf(res), tier, res);
});

test("minutes round down per tier; multi-network time goes to the Multi tiers only; nothing is deducted", () => {
  const f = durationFields([
    { resolution: "1920*1080", multi: false, ms: 119_999 },
    { resolution: "1920*1080", multi: false, ms: 1 },
    { resolution: "", multi: false, ms: 59_999 },
    { resolution: "1280*720", multi: true, ms: 180_000 },
    { resolution: "", multi: true, ms: 60_000 },
  ]);
  assert.deepEqual(f, {
    Voice: 0,
    SD: 0,
    HD: 0,
    FHD: 2,
    TwoK: 0,
    FourK: 0,
    Online: 2,
    MultiSD: 0,
    MultiHD: 3,
    MultiFHD: 0,
    MultiTwoK: 0,
    MultiFourK: 0,
    MultiOnline: 4,
    DeductDuration: 0,
  });
});

test("property: Online is at least the sum of its tiers and at most a minute more per tier (rounding)", () => {
  const part = fc.record({
    resolution: fc.constantFrom("", "320*240", "1280*720", "1920*1080", "2560*1440", "3840*2160"),
    multi: fc.boolean(),
    ms: fc.integer({ min: 0, max: 10 * 3600_000 }),
  });
  fc.assert(
    fc.property(fc.array(part, { maxLength: 20 }), (parts) => {
      const f = durationFields(parts);
      const single = f.Voice + f.SD + f.HD + f.FHD + f.TwoK + f.FourK;
      assert.ok(f.Online >= single && f.Online <= single + 6, JSON.stringify(f));
      // Multi-network voice time has no tier of its own: it is in MultiOnline only.
      const multiVoice = Math.floor(parts.filter((p) => p.multi && p.resolution === "").reduce((a, p) => a + p.ms, 0) / 60_000);
      const multi = f.MultiSD + f.MultiHD + f.MultiFHD + f.MultiTwoK + f.MultiFourK + multiVoice;
      assert.ok(f.MultiOnline >= multi && f.MultiOnline <= multi + 6, JSON.stringify(f));
      const totalMs = parts.reduce((a, p) => a + p.ms, 0);
      assert.ok(f.Online + f.MultiOnline <= Math.floor(totalMs / 60_000));
    }),
  );
});
