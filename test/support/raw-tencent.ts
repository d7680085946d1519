// Raw signed Tencent Cloud API 3.0 requests, for what no SDK sends: an old timestamp, a
// malformed Authorization, another HTTP method, a bare v1 form with chosen parameters.
import { randomInt } from "node:crypto";
import { tc3AuthorizationHeader } from "../../src/protocols/tencent/signature-tc3.ts";
import { v1Signature, v1StringToSign } from "../../src/protocols/tencent/signature-v1.ts";
import type { TestServer } from "./server.ts";

export interface TencentReply {
  status: number;
  headers: Headers;
  json: { Response: { Error?: { Code: string; Message: string }; RequestId: string; [k: string]: unknown } };
}

async function send(url: string, init: RequestInit): Promise<TencentReply> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: JSON.parse(text) };
}

export interface Tc3Options {
  action: string;
  version: string;
  body?: unknown;
  /** The JSON text sent as is, instead of `body` (literals JSON.stringify cannot write). */
  rawBody?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
  secretId?: string;
  secretKey?: string;
  headers?: Record<string, string>;
  /** Signed and sent; default application/json. */
  contentType?: string;
}

/** A TC3-HMAC-SHA256 POST with a JSON body, signed over the host with its port. */
export function tc3Post(server: TestServer, o: Tc3Options): Promise<TencentReply> {
  const payload = o.rawBody ?? JSON.stringify(o.body ?? {});
  const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
  const host = `127.0.0.1:${server.port}`;
  const contentType = o.contentType ?? "application/json";
  const authorization = tc3AuthorizationHeader({
    method: "POST",
    path: "/",
    query: "",
    headers: { "content-type": contentType, host },
    payload,
    timestamp,
    service: "roomledger",
    secretKey: o.secretKey ?? server.secretKey,
    secretId: o.secretId ?? server.secretId,
  });
  return send(`${server.url}/`, {
    method: "POST",
    headers: {
      authorization,
      "content-type": contentType,
      "x-tc-action": o.action,
      "x-tc-version": o.version,
      "x-tc-timestamp": String(timestamp),
      ...o.headers,
    },
    body: payload,
  });
}

/** A v1 form request (POST body or GET query) with exactly the given parameters, signed. */
export function v1Request(
  server: TestServer,
  method: "GET" | "POST",
  params: Record<string, string>,
  o: { secretKey?: string; headers?: Record<string, string> } = {},
): Promise<TencentReply> {
  const all: Record<string, string> = {
    SecretId: server.secretId,
    Timestamp: String(Math.floor(Date.now() / 1000)),
    Nonce: String(randomInt(1, 65535)),
    ...params,
  };
  all.Signature = v1Signature(
    o.secretKey ?? server.secretKey,
    v1StringToSign(method, `127.0.0.1:${server.port}`, "/", all),
    all.SignatureMethod,
  );
  const form = new URLSearchParams(all).toString();
  if (method === "GET") return send(`${server.url}/?${form}`, { method, headers: o.headers });
  return send(`${server.url}/`, {
    method,
    headers: { "content-type": "application/x-www-form-urlencoded", ...o.headers },
    body: form,
  });
}
