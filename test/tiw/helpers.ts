// Shared pieces of the TIW tests: the official SDK's tiw client, a worker's AgentClient,
// polling, and UserSigs the simulated worker accepts.
import { AgentClient } from "../../src/agent/client.ts";
import { makeUserSig } from "../../src/products/tiw/user-sig.ts";
import { tiwPushSimulator } from "../../src/products/tiw/push-simulator.ts";
import { clientConfig, sdk, type ClientOptions } from "../support/tencent.ts";
import type { TestServer } from "../support/server.ts";

export type TiwClient = InstanceType<typeof sdk.tiw.v20190919.Client>;

export const tiwClient = (server: TestServer, o: ClientOptions = {}): TiwClient =>
  new sdk.tiw.v20190919.Client(clientConfig(server, o) as never);

/** A worker of the app, with a worker credential (tiwApp's `worker`). */
export const worker = (server: TestServer, credential: string, workerId: string): AgentClient =>
  new AgentClient({ baseUrl: server.url, credential, workerId });

/** Every TIW task kind: the tests' workers hold one credential for them all. */
export const TIW_KINDS = ["tiw-push", "tiw-record", "tiw-snapshot", "tiw-video-generation"];

/** A TIW app with an ingest key (for activity events) and a worker credential for every TIW kind. */
export async function tiwApp(server: TestServer, products: string[] = ["tiw"]): Promise<{ appId: number; key: string; worker: string }> {
  const appId = await server.createApp(products);
  // A worker credential only where there is TIW to work for (an app without it is refused one).
  const worker = products.includes("tiw") ? await server.workerCredential(appId, TIW_KINDS) : "";
  return { appId: Number(appId), key: await server.ingestKey(appId), worker };
}

export const validSig = (appId: number, userId: string): string => makeUserSig(appId, userId, "test-im-secret");

let users = 0;
/** A fresh push user id (a push user pushes in one task at a time). */
export const pushUser = (): string => `tic_push_user_${process.pid}_${++users}`;

/** Polls until fn returns a value other than undefined (the protocols are asynchronous by nature). */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Sends ingest events for an app. */
export async function ingest(server: TestServer, key: string, events: unknown[]): Promise<Response> {
  return fetch(`${server.url}/ingest/v1/events`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(events),
  });
}

/** Runs the simulated push worker in this process until stopped (or killed: same thing to the server). */
export function simulate(
  server: TestServer,
  credential: string,
  workerId: string,
  o: { startDelayMs?: number; failureRate?: number } = {},
) {
  const abort = new AbortController();
  const lines: string[] = [];
  const done = tiwPushSimulator({
    baseUrl: server.url,
    credential,
    workerId,
    startDelayMs: o.startDelayMs ?? 0,
    failureRate: o.failureRate ?? 0,
    once: false,
    signal: abort.signal,
    log: (l) => lines.push(l),
  });
  return {
    lines,
    async stop() {
      abort.abort();
      await done;
    },
  };
}
