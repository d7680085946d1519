// The error catalog of roomledger's own (native) APIs: ingest, agent, admin, device reports,
// QoS uploads, recorder views. One constructor per wire code, so that every native endpoint
// answers the same code with the same status; protocols/native renders them as
// {error: {code, message, events?}, requestId}.
import { ApiError } from "./api-error.ts";

/** An event (or line, or sample) of a batch that was refused, by its index in the batch. */
export interface BadEvent {
  index: number;
  reason: string;
}

/** A refused batch: carries every bad event, and nothing of the batch is stored. */
export class InvalidBatchError extends ApiError {
  /** What is wrong, item by item (BadEvent, or a protocol's own shape such as the agent's reports). */
  readonly events: readonly object[];
  /** Items received in the refused batch, when the refusal knows better than the transport (streams). */
  received?: number;
  constructor(message: string, events: readonly object[], received?: number) {
    super("InvalidBatch", { message, httpStatus: 400 });
    this.events = events;
    if (received !== undefined) this.received = received;
  }
}

export const nativeErrors = {
  unauthorized: (message: string) => new ApiError("Unauthorized", { message, httpStatus: 401 }),
  forbidden: (message: string) => new ApiError("Forbidden", { message, httpStatus: 403 }),
  notFound: (message: string) => new ApiError("NotFound", { message, httpStatus: 404 }),
  methodNotAllowed: (message: string, allow: string) => new ApiError("MethodNotAllowed", { message, httpStatus: 405, headers: { allow } }),
  /** The body stopped arriving (body-idle timeout): answered, then the connection is closed. */
  requestTimeout: (message: string) => new ApiError("RequestTimeout", { message, httpStatus: 408, headers: { connection: "close" } }),
  payloadTooLarge: (message: string) => new ApiError("PayloadTooLarge", { message, httpStatus: 413 }),
  unsupportedMediaType: (message: string) => new ApiError("UnsupportedMediaType", { message, httpStatus: 415 }),
  badRequest: (message: string, httpStatus = 400) => new ApiError("BadRequest", { message, httpStatus }),
  invalidJson: (message: string) => new ApiError("InvalidJson", { message, httpStatus: 400 }),
  /** `events` bad events out of a batch: nothing was stored. */
  invalidBatch: (bad: BadEvent[], what = "event(s) are invalid") =>
    new InvalidBatchError(`${bad.length} ${what}; nothing was stored`, bad.slice(0, 1000)),
  tooManyRequests: (message: string) => new ApiError("TooManyRequests", { message, httpStatus: 429, headers: { "retry-after": "1" } }),
  overloaded: (message: string) => new ApiError("Overloaded", { message, httpStatus: 503, headers: { "retry-after": "1" } }),
  internal: () => new ApiError("InternalError", { message: "internal error", httpStatus: 500 }),
};
