// The Tencent Cloud API 3.0 envelope: always HTTP 200, {"Response": {..., "RequestId"}},
// errors as Response.Error {Code, Message} (reference §4).
//
// Content-Type is exactly `application/json`, as the cloud sends it: the Python SDK (and
// tccli on top of it) reads Response.Error only when the header equals that string (or
// `text/plain`), so a `; charset=utf-8` turns every error into an empty success. Fastify
// appends that charset to string payloads, not to Buffers: hence the bytes below.
import type { FastifyReply } from "fastify";
import type { ApiError } from "../../errors/api-error.ts";
import type { Language } from "./action.ts";

export function sendResult(reply: FastifyReply, requestId: string, result: Record<string, unknown>): FastifyReply {
  return reply
    .code(200)
    .header("content-type", "application/json")
    .send(json({ Response: { ...result, RequestId: requestId } }));
}

export function sendError(reply: FastifyReply, requestId: string, err: ApiError, language: Language): FastifyReply {
  return reply
    .code(200)
    .header("content-type", "application/json")
    .send(json({ Response: { Error: { Code: err.code, Message: err.messageFor(language) }, RequestId: requestId } }));
}

const json = (body: unknown): Buffer => Buffer.from(JSON.stringify(body), "utf8");
