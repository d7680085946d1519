// Ingest fairness (issue 16, item 2): event throughput of a well-behaved app through
// POST /ingest/v1/events, undisturbed and while another app holds every upload it can open
// (its whole share of the route, and more attempts refused with 429) plus eight uploads
// without credentials, all kept open by a byte every few seconds (under the body-idle bound,
// so the timeout is not what frees them). Rounds alternate quiet and disturbed so that the
// machine's drift falls on both; the figure is the ratio (target: within 20 %).
// The server is a real `roomledger serve` process on PGlite; the load comes from this
// process (Node's fetch, a fixed number of requests in flight).
import { startServer, type TestServer } from "../test/support/server.ts";
import type { Benchmark, Figure } from "./harness.ts";

const ROUNDS = Number(process.env.FAIRNESS_ROUNDS ?? 3);
const ROUND_MS = Number(process.env.FAIRNESS_ROUND_MS ?? 8_000);
const CONCURRENCY = 8;
const EVENTS_PER_BATCH = 20;
const HOLDERS = 64; // the route has 64 slots; an app may hold 32 of them
const ANONYMOUS = 8;
const TRICKLE_MS = 5_000;

interface Hold {
  end(): void;
  done: Promise<number>;
}

function hold(url: string, headers: Record<string, string>): Hold {
  let ctrl!: ReadableStreamDefaultController<Uint8Array>;
  const enc = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (ctrl = c) });
  ctrl.enqueue(enc.encode("["));
  const ticker = setInterval(() => ctrl.enqueue(enc.encode(" ")), TRICKLE_MS);
  const done = fetch(url, { method: "POST", headers, body, duplex: "half" } as RequestInit).then(
    async (r) => (await r.arrayBuffer(), r.status),
    () => 0,
  );
  void done.then(() => clearInterval(ticker));
  return {
    done,
    end() {
      clearInterval(ticker);
      try {
        ctrl.enqueue(enc.encode("]"));
        ctrl.close();
      } catch {
        // answered already
      }
    },
  };
}

/** Batches acknowledged per second for ROUND_MS, CONCURRENCY in flight; throws on any other answer. */
async function drive(server: TestServer, key: string, round: string): Promise<number> {
  const until = Date.now() + ROUND_MS;
  let batches = 0;
  let seq = 0;
  const worker = async () => {
    while (Date.now() < until) {
      const n = seq++;
      const events = Array.from({ length: EVENTS_PER_BATCH }, (_, i) => ({
        id: `${round}-${n}-${i}`,
        type: "roomledger.diagnostic",
        ctime: 1_790_000_000_000 + n,
        data: { seq: i },
      }));
      const res = await fetch(`${server.url}/ingest/v1/events`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify(events),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`the well-behaved app got ${res.status}: ${text}`);
      batches++;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return (batches * EVENTS_PER_BATCH) / ((Date.now() - started) / 1000);
}

export const ingestFairnessBench: Benchmark = {
  name: "ingest-fairness",
  async run(): Promise<Figure[]> {
    const server = await startServer({ dev: true });
    try {
      const polite = await server.ingestKey(await server.createApp(["lcic"]));
      const greedy = await server.ingestKey(await server.createApp(["lcic"]));
      const url = `${server.url}/ingest/v1/events`;
      await drive(server, polite, "warm"); // compile caches, connection pool, PGlite's buffers
      const quiet: number[] = [];
      const disturbed: number[] = [];
      let held = 0;
      for (let r = 0; r < ROUNDS; r++) {
        quiet.push(await drive(server, polite, `q${r}`));
        const holds = [
          ...Array.from({ length: HOLDERS }, () => hold(url, { "content-type": "application/json", authorization: `Bearer ${greedy}` })),
          ...Array.from({ length: ANONYMOUS }, () => hold(url, { "content-type": "application/json" })),
        ];
        // What the greedy app got: the requests still open once the refusals are in.
        await new Promise((res) => setTimeout(res, 500));
        const metrics = await (await fetch(`${server.url}/metrics`)).text();
        held = Number(/^roomledger_ingest_requests_in_flight (\d+)/m.exec(metrics)?.[1] ?? NaN);
        disturbed.push(await drive(server, polite, `d${r}`));
        for (const h of holds) h.end();
        await Promise.all(holds.map((h) => h.done));
        process.stdout.write(
          `[ingest-fairness] round ${r + 1}: ${Math.round(quiet[r]!)} events/s undisturbed, ${Math.round(disturbed[r]!)} disturbed\n`,
        );
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const q = mean(quiet);
      const d = mean(disturbed);
      return [
        { name: "events/s, undisturbed", value: q, unit: "events/s" },
        {
          name: `uploads the other app held open (of ${HOLDERS} tried, plus ${ANONYMOUS} without credentials)`,
          value: held,
          unit: "requests",
        },
        {
          name: "events/s while another app holds idle uploads",
          value: d,
          unit: "events/s",
          baseline: { name: "undisturbed", value: q },
          target: ">= 0.8 of undisturbed",
          met: d >= 0.8 * q,
        },
      ];
    } finally {
      await server.stop();
    }
  },
};
