// The Tencent Cloud API 3.0 envelope: always HTTP 200, {"Response": {..., "RequestId"}},
// errors as Response.Error {Code, Message} (reference §4).
//
// Content-Type is exactly `application/json`, as the cloud sends it: the Python SDK (and
// tccli on top of it) reads Response.Error only when the header equals that string (or
// `text/plain`), so a `; charset=utf-8` turns every error into an empty success. Fastify
// appends that charset when it is handed a string, or serialises an object itself; with a
// serializer of the reply's own it does neither. The answer then leaves as one string, which
// Node writes in one piece with the status line and headers (a Buffer went out as a second
// chunk of a writev, after a copy: issue 22).
import type { FastifyReply } from "fastify";
import type { ApiError } from "../../errors/api-error.ts";
import type { Language } from "./action.ts";

export function sendResult(reply: FastifyReply, requestId: string, result: Record<string, unknown>): FastifyReply {
  return reply
    .code(200)
    .header("content-type", "application/json")
    .serializer(JSON.stringify)
    .send({ Response: { ...result, RequestId: requestId } });
}

export function sendError(reply: FastifyReply, requestId: string, err: ApiError, language: Language): FastifyReply {
  return reply
    .code(200)
    .header("content-type", "application/json")
    .serializer(JSON.stringify)
    .send({ Response: { Error: { Code: err.code, Message: err.messageFor(language) }, RequestId: requestId } });
}
