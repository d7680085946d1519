// Pre-signed Tencent Cloud API 3.0 requests for the load generator: TC3-HMAC-SHA256 over POST
// JSON, as the SDKs send them, signed once before a run (the server still verifies every one;
// the timestamp stays inside its 5-minute window for a run of seconds).
import { tc3AuthorizationHeader } from "../src/protocols/tencent/signature-tc3.ts";
import { formatRequest } from "./wrk.ts";

export interface Tc3Call {
  host: string;
  secretId: string;
  secretKey: string;
  service: string;
  action: string;
  version: string;
  params: unknown;
}

export function tc3Headers(c: Tc3Call, payload: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const authorization = tc3AuthorizationHeader({
    method: "POST",
    path: "/",
    query: "",
    headers: { "content-type": "application/json", host: c.host },
    payload,
    timestamp,
    service: c.service,
    secretKey: c.secretKey,
    secretId: c.secretId,
  });
  return {
    Host: c.host,
    Authorization: authorization,
    "Content-Type": "application/json",
    "X-TC-Action": c.action,
    "X-TC-Version": c.version,
    "X-TC-Timestamp": String(timestamp),
    "X-TC-Region": "ap-guangzhou",
  };
}

/** `count` signed requests, the i-th with `params(i)` (distinct payloads, distinct signatures). */
export function signedRequests(c: Omit<Tc3Call, "params">, count: number, params: (i: number) => unknown): string[] {
  const timestamp = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) => {
    const body = JSON.stringify(params(i));
    return formatRequest({ method: "POST", path: "/", headers: tc3Headers({ ...c, params: null }, body, timestamp), body });
  });
}

/** Sends one signed call with fetch and returns its Response object (throws on an Error envelope) and the answer's size. */
export async function callOnce(url: string, c: Tc3Call): Promise<Record<string, unknown> & { answerBytes: number }> {
  const body = JSON.stringify(c.params);
  const res = await fetch(url, { method: "POST", headers: tc3Headers(c, body), body });
  const bytes = Buffer.from(await res.arrayBuffer());
  const json = JSON.parse(bytes.toString("utf8")) as { Response: Record<string, unknown> & { Error?: { Code: string; Message: string } } };
  if (json.Response.Error) throw new Error(`${c.action}: ${json.Response.Error.Code} ${json.Response.Error.Message}`);
  return { ...json.Response, answerBytes: bytes.length };
}

/** Answers to `action` counted by result code in the server's /metrics, e.g. {OK: 1234}. */
export async function answeredByCode(url: string, action: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    if (!line.startsWith("roomledger_api_requests_total{") || !line.includes(`action="${action}"`)) continue;
    const code = /code="([^"]*)"/.exec(line)?.[1] ?? "?";
    out[code] = (out[code] ?? 0) + Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return out;
}
