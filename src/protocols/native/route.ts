// What a product declares for a native route (device reports, QoS uploads, recorder views);
// server.ts mounts it with the native kit (mount.ts): authentication before any resource is
// reserved, backpressure with a fair share per app, bounded and drained bodies counted as
// they are read, the native error renderer, the acknowledgement and the ingest metrics; the
// listeners bound headers, bodies and whole requests (listener-timeouts.ts). The product
// writes only what is its own.
import type { FastifyRequest, FastifySchema } from "fastify";
import type { BadEvent } from "../../errors/native.ts";
import type { App } from "../../tenancy/accounts.ts";
import type { BackpressureLimits } from "./backpressure.ts";

export type NativeAuth =
  /** `Authorization: Bearer <ingest key>`; with `product`, the app must have it (403). */
  | { kind: "ingest-key"; product?: string }
  /** The product's own credentials (e.g. a device token); throws the native Unauthorized. */
  | { kind: "custom"; authenticate(req: FastifyRequest): Promise<App> };

export type NativeBody =
  | { kind: "none" }
  /** A JSON array or NDJSON read whole; `bad` lists the NDJSON lines that are not JSON. */
  | { kind: "batch"; events: unknown[]; bad: BadEvent[] }
  /** NDJSON left unread: read it with forEachLine (batch-body.ts) up to `limit` bytes. */
  | { kind: "stream"; stream: unknown; limit: number };

export interface NativeCall {
  app: App;
  params: Record<string, string>;
  requestId: string;
  body: NativeBody;
}

/** The counts of an acknowledged batch; the kit adds the requestId and the metrics. */
export interface BatchAck {
  received: number;
  accepted: number;
  duplicates: number;
  [extra: string]: number;
}

export interface NativeRoute {
  method: "GET" | "POST";
  /** Full path on the public listener, Fastify syntax. */
  url: string;
  /** Documents the route at /docs (validation is the handler's, so every bad event is named). */
  schema?: FastifySchema;
  auth: NativeAuth;
  body: "none" | "batch" | "stream";
  /**
   * The route's gate. Every route with a body ("batch"/"stream") is gated whether it says so or
   * not: without this, 64 requests in flight, 8 × the body limit of bytes read, half of each
   * per app, counted in roomledger_native_requests_in_flight{route}. A route may only narrow
   * an app's share, never widen it (backpressure.ts).
   */
  backpressure?: BackpressureLimits;
  /**
   * Cross-origin uploads from browsers: the kit answers the preflight (OPTIONS) and adds
   * Access-Control-Allow-Origin to every answer, errors included, when `allowed(origin)`.
   */
  cors?: { allowed(origin: string): Promise<boolean> };
  /** For "batch"/"stream": the answer is an acknowledgement, counted in the ingest metrics. */
  handler(call: NativeCall): Promise<object>;
}
