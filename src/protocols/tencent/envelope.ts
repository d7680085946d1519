// The Tencent Cloud API 3.0 envelope: always HTTP 200, {"Response": {..., "RequestId"}},
// errors as Response.Error {Code, Message} (reference §4).
import type { FastifyReply } from "fastify";
import type { ApiError } from "../../errors/api-error.ts";
import type { Language } from "./action.ts";

export function sendResult(reply: FastifyReply, requestId: string, result: Record<string, unknown>): FastifyReply {
  return reply
    .code(200)
    .header("content-type", "application/json")
    .send(JSON.stringify({ Response: { ...result, RequestId: requestId } }));
}

export function sendError(reply: FastifyReply, requestId: string, err: ApiError, language: Language): FastifyReply {
  return reply
    .code(200)
    .header("content-type", "application/json")
    .send(JSON.stringify({ Response: { Error: { Code: err.code, Message: err.messageFor(language) }, RequestId: requestId } }));
}
