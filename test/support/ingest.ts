// The ingest API from the outside: post a batch, and read what the server stored for an app
// through the development-only DescribeDiagnosticEvents action.
import type { TestServer } from "./server.ts";
import { commonClient } from "./tencent.ts";

export interface IngestReply {
  status: number;
  body: any;
}

export async function postEvents(
  server: TestServer,
  key: string | null,
  body: string,
  contentType = "application/json",
): Promise<IngestReply> {
  const headers: Record<string, string> = { "content-type": contentType };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const res = await fetch(`${server.url}/ingest/v1/events`, { method: "POST", headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}

export const diagnostic = (id: string, seq: number, extra: Record<string, unknown> = {}) => ({
  id,
  type: "roomledger.diagnostic",
  ctime: 1_790_000_000_000 + seq,
  data: { seq },
  ...extra,
});

export async function stored(server: TestServer, appId: string): Promise<{ TotalCount: number; AppliedCount: number; EventIds: string[] }> {
  return (await commonClient(server, "2026-11-01").request("DescribeDiagnosticEvents", { AppId: appId })) as never;
}

export interface OpenUpload {
  /** Ends the body: the server may then read it whole and answer. */
  close(): void;
  done: Promise<Response>;
}

/** A POST whose body (chunked, no declared length) starts with `first` and stays open until close(). */
export function openUpload(url: string, headers: Record<string, string>, first: string): OpenUpload {
  let ctrl!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (ctrl = c) });
  ctrl.enqueue(new TextEncoder().encode(first));
  const done = fetch(url, { method: "POST", headers, body, duplex: "half" } as RequestInit);
  return { close: () => ctrl.close(), done };
}

/** Waits until the server's gauge `metric` reads n, polling /metrics: no timing assumption. */
export async function gaugeReaches(server: TestServer, metric: string, n: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const line = text.split("\n").find((l) => l.startsWith(`${metric} `));
    if (line !== undefined && Number(line.slice(metric.length + 1)) === n) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`the server's ${metric} never read ${n}`);
}
