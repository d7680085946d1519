// Crash safety of the ingest API: a client streams batches while the server is killed with
// SIGKILL and restarted on the same data directory / database. Every batch acknowledged
// before a kill must be there after the restart, and once the client has retried every
// unacknowledged batch, every event is stored (and applied) exactly once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { diagnostic, stored } from "../support/ingest.ts";

const BATCH = 20;
const STREAMS = 2;

for (const backend of backends()) {
  test(`SIGKILL while streaming ingest batches, on ${backend}`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "roomledger-crash-"));
    let server: TestServer = await startServer({ backend, dataDir });
    const databaseUrl = server.databaseUrl;
    try {
      const appId = await server.createApp(["lcic"]);
      const key = await server.ingestKey(appId);
      const acked = new Set<string>();
      const sent = new Set<string>();
      let stopping = false;
      let failures = 0;

      async function stream(s: number): Promise<void> {
        for (let b = 0; !stopping; b++) {
          const events = Array.from({ length: BATCH }, (_, i) => diagnostic(`s${s}-b${b}-e${i}`, b * BATCH + i));
          for (const e of events) sent.add(e.id);
          const body = JSON.stringify(events);
          // Retry this same batch (same ids) until it is acknowledged.
          for (;;) {
            try {
              const res = await fetch(`${server.url}/ingest/v1/events`, {
                method: "POST",
                headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
                body,
                signal: AbortSignal.timeout(15_000),
              });
              const json = (await res.json()) as { accepted: number; duplicates: number };
              assert.equal(res.status, 200, JSON.stringify(json));
              assert.equal(json.accepted + json.duplicates, BATCH);
              for (const e of events) acked.add(e.id);
              break;
            } catch (err) {
              if (err instanceof assert.AssertionError) throw err;
              failures++;
              await sleep(100);
            }
          }
        }
      }

      const streams = Array.from({ length: STREAMS }, (_, s) => stream(s));
      // Two kills on PostgreSQL; one on PGlite, whose restart (WASM start, recovery) costs
      // several seconds on this 2-core machine.
      const rounds = backend === "postgres" ? 2 : 1;
      for (let round = 0; round < rounds; round++) {
        await sleep(1500);
        await server.kill();
        const ackedAtKill = [...acked];
        assert.ok(ackedAtKill.length > 0, "some batches were acknowledged before the kill");
        server = await startServer({ backend, dataDir, databaseUrl });
        const after = new Set((await stored(server, appId)).EventIds);
        const lost = ackedAtKill.filter((id) => !after.has(id));
        assert.deepEqual(lost, [], `acknowledged events lost by the crash in round ${round}`);
      }
      await sleep(500);
      stopping = true;
      await Promise.all(streams);

      const final = await stored(server, appId);
      assert.ok(failures > 0, "the client saw the crash");
      assert.equal(final.TotalCount, sent.size);
      assert.deepEqual(new Set(final.EventIds), sent);
      assert.equal(final.EventIds.length, new Set(final.EventIds).size);
      assert.equal(final.AppliedCount, final.TotalCount, "each event applied exactly once");
      assert.equal(acked.size, sent.size);
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
