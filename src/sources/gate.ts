// The native kit's ingest gate (src/protocols/native/backpressure.ts) for the sources'
// routes, which read their bodies raw (LiveKit's sha256 claim is over the exact bytes; Janus
// may gzip) and so are not mounted by mountNativeRoute: the same rule all the same. A slot
// is taken only after the source's credential is checked, an app holds at most its fair share
// of the route's slots and bytes, bytes count as they are read, and the slot is given back
// when the answer is sent.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Readable } from "node:stream";
import type { Registry } from "prom-client";
import { Backpressure, meteredBody, type Ticket } from "../protocols/native/backpressure.ts";

export interface SourceGate {
  /** After authentication: a slot for the app, or the 429/503 to answer. */
  admit(req: FastifyRequest, reply: FastifyReply, appId: string): void;
  /** Fastify's preParsing hook: the body counted on the request's ticket as it is read. */
  preParsing(req: FastifyRequest, reply: FastifyReply, payload: Readable): Promise<Readable>;
}

export function sourceGate(route: string, bodyLimit: number, registry: Registry): SourceGate {
  const gate = new Backpressure(undefined, route, bodyLimit, registry);
  const tickets = new WeakMap<FastifyRequest, Ticket>();
  return {
    admit(req, reply, appId) {
      try {
        tickets.set(req, gate.admit(req, reply, appId));
      } catch (err) {
        // Refused before the body was read: the connection cannot be reused (as mount.ts).
        if (!req.raw.complete) reply.header("connection", "close");
        throw err;
      }
    },
    async preParsing(req, reply, payload) {
      const ticket = tickets.get(req);
      return ticket ? meteredBody(payload, ticket, reply, bodyLimit) : payload;
    },
  };
}
