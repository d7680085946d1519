// The official Tencent Cloud Python SDK (tencentcloud-sdk-python, ../shared/clients) against a
// real `roomledger serve`: the seed query of LCIC, TIW, TRRO and GME and their documented
// errors, each under TC3-HMAC-SHA256, HmacSHA256 and HmacSHA1, over POST and GET. The SDK
// raises Response.Error only when Content-Type is exactly application/json, so the error
// cases are what guard that header.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../support/server.ts";
import { startServer, type TestServer } from "../support/server.ts";
import { runPython, skipUnlessAvailable } from "./python.ts";
import { checkCases, Tally } from "./tencent-support.ts";
import { GME, gmeSeed, LCIC, lcicSeed, TIW, tiwSeed, TRRO, trroSeed } from "./seeds.ts";

const skip = skipUnlessAvailable("tencent-sdk");

describe("Tencent Python SDK, every signing method over POST and GET", { skip }, () => {
  let server: TestServer;
  const tally = new Tally();
  before(async () => {
    server = await startServer({ args: ["--rate-limit", "0"] });
  });
  after(async () => {
    console.log(`# ${tally.line("tencent-sdk (Python)")}`);
    await server?.stop();
  });

  test("LCIC DescribeRoomStatistics: being computed, not ended, missing; then the statistics and parameter errors", async () => {
    const lcic = await lcicSeed(server);
    await checkCases(server, LCIC, lcic.before, tally);
    await checkCases(server, LCIC, await lcic.after(), tally);
  });

  test("TIW DescribeWhiteboardPush", async () => {
    await checkCases(server, TIW, await tiwSeed(server), tally);
  });

  test("TRRO DescribeDeviceSessionList", async () => {
    await checkCases(server, TRRO, await trroSeed(server), tally);
  });

  test("GME DescribeRecordInfo", async () => {
    await checkCases(server, GME, await gmeSeed(server), tally);
  });

  test("the README's Python example runs as written", async () => {
    const blocks = [...readFileSync(join(ROOT, "README.md"), "utf8").matchAll(/^```python\n([\s\S]*?)^```$/gm)];
    assert.equal(blocks.length, 1, "the README has one python block");
    const dir = mkdtempSync(join(tmpdir(), "roomledger-readme-python-"));
    try {
      // The example reads .roomledger/credentials.json from where it runs.
      symlinkSync(server.dataDir, join(dir, ".roomledger"));
      writeFileSync(join(dir, "example.py"), blocks[0]![1]!);
      const r = await runPython("tencent-sdk", ["example.py"], "", {}, dir);
      assert.equal(r.code, 0, r.stderr);
      // No room of app 1400000001 on this server.
      const { RequestId, ...body } = JSON.parse(r.stdout) as Record<string, unknown>;
      assert.match(String(RequestId), /^[0-9a-f-]{36}$/);
      assert.deepEqual(body, { Total: 0, Rooms: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
