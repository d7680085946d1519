// The one renderer of native errors (ingest, agent, admin, device reports, QoS uploads,
// recorder views): {error: {code, message, events?}, requestId} with the catalog's status
// and headers (src/errors/native.ts).
import type { FastifyReply, FastifyRequest } from "fastify";
import { isApiError, type ApiError } from "../../errors/api-error.ts";
import { InvalidBatchError, nativeErrors } from "../../errors/native.ts";
import { BODY_IDLE } from "../listener-timeouts.ts";

export function sendNativeError(reply: FastifyReply, requestId: string, err: ApiError): FastifyReply {
  const body: Record<string, unknown> = { code: err.code, message: err.message };
  if (err instanceof InvalidBatchError) body.events = err.events;
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  return reply.code(err.httpStatus).send({ error: body, requestId });
}

export function nativeErrorHandler(err: Error & { code?: string; statusCode?: number }, req: FastifyRequest, reply: FastifyReply) {
  if (isApiError(err)) return sendNativeError(reply, req.id, err);
  if (err.code === BODY_IDLE) return sendNativeError(reply, req.id, nativeErrors.requestTimeout(err.message));
  if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") return sendNativeError(reply, req.id, nativeErrors.payloadTooLarge(err.message));
  if (err.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return sendNativeError(reply, req.id, nativeErrors.unsupportedMediaType(err.message));
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return sendNativeError(reply, req.id, nativeErrors.badRequest(err.message, err.statusCode));
  }
  req.log.error({ err }, "unexpected error");
  return sendNativeError(reply, req.id, nativeErrors.internal());
}

/** Unknown paths and methods answer in the native error shape too, not Fastify's default. */
export function nativeNotFound(req: FastifyRequest, reply: FastifyReply) {
  return sendNativeError(reply, req.id, nativeErrors.notFound(`no route ${req.method} ${req.url.split("?")[0]}`));
}
