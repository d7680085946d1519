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
