// The Tencent Cloud API 3.0 envelope: always HTTP 200, {"Response": {..., "RequestId"}},
// errors as Response.Error {Code, Message} (reference §4).
//
// Content-Type is exactly `application/json`, as the cloud sends it: the Python SDK (and
// tccli on top of it) reads Response.Error only when the header equals that string (or
// `text/plain`), so a `; charset=utf-8` turns every error into an empty success. The answer
// leaves as one string with its length, which Node writes in one piece with the status line
// and headers (a Buffer went out as a second chunk of a writev, after a copy: issue 22).
import type { ServerResponse } from "node:http";
import type { ApiError } from "../../errors/api-error.ts";
import type { Language } from "./action.ts";

export function resultBody(requestId: string, result: Record<string, unknown>): string {
  return JSON.stringify({ Response: { ...result, RequestId: requestId } });
}

export function errorBody(requestId: string, err: ApiError, language: Language): string {
  return JSON.stringify({ Response: { Error: { Code: err.code, Message: err.messageFor(language) }, RequestId: requestId } });
}

/** Writes an envelope; `trace`: the caller's X-TC-TraceId, echoed; `close`: the connection is not reused. */
export function sendEnvelope(res: ServerResponse, body: string, trace: string | undefined, close: boolean): void {
  const headers: Record<string, string | number> = { "content-type": "application/json", "content-length": Buffer.byteLength(body) };
  if (trace !== undefined) headers["x-tc-traceid"] = trace;
  if (close) headers.connection = "close";
  res.writeHead(200, headers);
  res.end(body);
}
