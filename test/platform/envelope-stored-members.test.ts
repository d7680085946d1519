// An answer made of a stored flat JSON object's members (StoredMembersAnswer: DescribeRoom's
// configuration, spliced as stored) must be the bytes JSON.stringify writes for the parsed
// members less those omitted, then the fields and RequestId: whatever the strings hold (quotes,
// backslashes, commas, the omitted names themselves, unicode), wherever the omitted members
// sit (first, last, alone, absent), and whatever number they hold (issue 22).
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { StoredMembersAnswer } from "../../src/protocols/tencent/action.ts";
import { resultBody } from "../../src/protocols/tencent/envelope.ts";

const OMITTED = ["TurnOffMic", "RTCAudienceNumber"];
// Names a text search could confuse with a member: the omitted names inside strings, keys and values.
const tricky = fc.constantFrom(',"TurnOffMic":1', '"RTCAudienceNumber":', '\\",\\"TurnOffMic\\":2', "TurnOffMic", "\\", '"', ",");
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  tricky,
  fc.tuple(fc.string(), tricky).map(([a, b]) => a + b),
);
const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(1e21, -5e-7, 0));
const scalar = fc.oneof(text, number, fc.boolean(), fc.constant(null), fc.array(text, { maxLength: 3 }));
// Keys that are array indices ("1") come first in a JavaScript object whatever their place in
// the text; the store's flat objects (RoomConfig) have none.
const key = fc.oneof(text, fc.constantFrom(...OMITTED)).filter((k) => !/^(0|[1-9]\d*)$/.test(k));

// Each case: the answer, and what it stands for (the members less the omitted, then the fields),
// built from the generated entries, not by JSON.parse of the stored text: Node 24's JSON.parse
// can return a wrong key for an escaped one (`JSON.parse('{"\\\\":1}')`, then
// `JSON.parse('{"\\"":1}')` gives the key "\\" too: V8's, nodejs/node#63785, open), which a
// reference built by parsing carries into the expected bytes.
const cases = fc
  .tuple(
    fc.uniqueArray(fc.tuple(key, scalar), { selector: ([k]) => k, maxLength: 8 }),
    fc.subarray(OMITTED),
    fc.array(number, { minLength: 2, maxLength: 2 }),
    fc.dictionary(key, scalar, { maxKeys: 4 }),
  )
  .map(([members, present, values, fields]) => {
    // The omitted names that are present hold numbers, at random places among the members.
    const rest = members.filter(([k]) => !OMITTED.includes(k));
    const described = Object.fromEntries(rest);
    present.forEach((name, i) => rest.splice(Math.abs(values[i]! | 0) % (rest.length + 1), 0, [name, values[i]!]));
    const taken = (k: string) => rest.some(([m]) => m === k) || OMITTED.includes(k) || k === "RequestId";
    const own = Object.fromEntries(Object.entries(fields).filter(([k]) => !taken(k)));
    return { answer: new StoredMembersAnswer(JSON.stringify(Object.fromEntries(rest)), OMITTED, own), described, own };
  });

test("stored members: the bytes of JSON.stringify of the members less the omitted, the fields and RequestId", () => {
  fc.assert(
    fc.property(cases, ({ answer, described, own }) => {
      assert.equal(resultBody("req-1", answer), JSON.stringify({ Response: { ...described, ...own, RequestId: "req-1" } }));
    }),
    { numRuns: 2000 },
  );
});

test("stored members: an omitted member that does not hold a number (not what the store writes) is still left out", () => {
  fc.assert(
    fc.property(
      scalar.filter((v) => typeof v !== "number"),
      fc.boolean(),
      (value, first) => {
        const members = first ? { TurnOffMic: value, Name: "a" } : { Name: "a", TurnOffMic: value };
        const a = new StoredMembersAnswer(JSON.stringify(members), OMITTED, { Status: 1 });
        assert.equal(resultBody("r", a), '{"Response":{"Name":"a","Status":1,"RequestId":"r"}}');
      },
    ),
  );
});

test("stored members: text with whitespace around the object (not JSON.stringify's) is answered the general way", () => {
  const a = new StoredMembersAnswer(' {"Name":"a", "TurnOffMic": 1}\n', OMITTED, { Status: 1 });
  assert.equal(resultBody("r", a), '{"Response":{"Name":"a","Status":1,"RequestId":"r"}}');
});

test("stored members: no members, one member, only omitted members", () => {
  const body = (stored: string) => resultBody("r", new StoredMembersAnswer(stored, OMITTED, { Status: 0 }));
  assert.equal(body("{}"), '{"Response":{"Status":0,"RequestId":"r"}}');
  assert.equal(body('{"TurnOffMic":0}'), '{"Response":{"Status":0,"RequestId":"r"}}');
  assert.equal(body('{"TurnOffMic":1,"RTCAudienceNumber":-2.5e-7}'), '{"Response":{"Status":0,"RequestId":"r"}}');
  assert.equal(body('{"Name":"x"}'), '{"Response":{"Name":"x","Status":0,"RequestId":"r"}}');
});
