// Backpressure for the native write paths, taken only once the caller is authenticated
// (mount.ts). A request holds a slot from before its body is read until its response closes,
// sent or aborted, and holds the bytes of its body as they are actually read (a chunked body
// costs what it sent, not the body limit; a declared length is only checked to fit). Beyond
// the slots or the byte budget: 503 + Retry-After. Beyond an app's fair share (half of each,
// unless the route asks for less): 429 + Retry-After, so that one app's uploads, idle or not,
// leave the other half to everybody else. The gauge lets operators (and the tests, instead of
// sleeping) watch saturation.
import { Transform, type Readable } from "node:stream";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Gauge, type Registry } from "prom-client";
import type { ApiError } from "../../errors/api-error.ts";
import { nativeErrors } from "../../errors/native.ts";

/** What one app may hold of a route's slots and byte budget. */
export const FAIR_SHARE = 0.5;
/** The byte budget of a route that does not give one: this many times the body limit. */
export const BODY_BUDGET_FACTOR = 8;

export interface BackpressureLimits {
  /** Requests in flight beyond which the route answers 503. */
  maxInFlight: number;
  /** Requests in flight of one app beyond which the route answers 429; at most the fair share (the default). */
  maxPerApp?: number;
  /** Bytes of bodies read and held beyond which the route answers 503 (default: 8 × the body limit). */
  budgetBytes?: number;
  /** The gauge of requests in flight, and what the route is called in the answers. */
  gauge: { name: string; help: string };
  what: string;
}

/** The limits a gate enforces, every default resolved. */
export interface GateLimits {
  maxInFlight: number;
  maxPerApp: number;
  budgetBytes: number;
  budgetPerApp: number;
  what: string;
}

export function gateLimits(limits: Omit<BackpressureLimits, "gauge">, bodyLimit: number): GateLimits {
  // With one slot, an app's share would be all of it (found by the fairness property test).
  if (!Number.isInteger(limits.maxInFlight) || limits.maxInFlight < 2) {
    throw new Error(`${limits.what}: a gate needs at least 2 slots to share, not ${limits.maxInFlight}`);
  }
  const share = Math.floor(limits.maxInFlight * FAIR_SHARE);
  if (limits.maxPerApp !== undefined && limits.maxPerApp > share) {
    throw new Error(`${limits.what}: maxPerApp ${limits.maxPerApp} is past the fair share (${share} of ${limits.maxInFlight})`);
  }
  const budgetBytes = limits.budgetBytes ?? BODY_BUDGET_FACTOR * bodyLimit;
  if (Math.floor(budgetBytes * FAIR_SHARE) < bodyLimit) {
    throw new Error(`${limits.what}: a full body (${bodyLimit} bytes) must fit an app's share of bytes (half of ${budgetBytes})`);
  }
  return {
    maxInFlight: limits.maxInFlight,
    maxPerApp: limits.maxPerApp ?? share,
    budgetBytes,
    budgetPerApp: Math.floor(budgetBytes * FAIR_SHARE),
    what: limits.what,
  };
}

/** One admitted request: report the bytes read with read(), give everything back with release(). */
export interface Ticket {
  /** Counts n more bytes of the body as held; returns the refusal (nothing counted) when they do not fit. */
  read(n: number): ApiError | null;
  /** Idempotent. */
  release(): void;
}

/** The accounting alone, without HTTP: what the property tests drive. */
export class Gate {
  inFlight = 0;
  held = 0;
  readonly perApp = new Map<string, { slots: number; bytes: number }>();
  readonly limits: GateLimits;

  constructor(limits: GateLimits) {
    this.limits = limits;
  }

  /** A ticket, or the refusal (503 for the whole route, 429 for the app's share). */
  admit(appId: string, declared: number | null): Ticket | ApiError {
    const { maxInFlight, maxPerApp, budgetBytes, budgetPerApp, what } = this.limits;
    const mine = this.perApp.get(appId) ?? { slots: 0, bytes: 0 };
    const size = declared ?? 0;
    if (this.inFlight >= maxInFlight || this.held + size > budgetBytes) {
      return nativeErrors.overloaded(`too many ${what} requests in flight; retry later`);
    }
    if (mine.slots >= maxPerApp || mine.bytes + size > budgetPerApp) {
      return nativeErrors.tooManyRequests(`app ${appId} has ${mine.slots} ${what} requests in flight; retry later`);
    }
    this.inFlight++;
    mine.slots++;
    this.perApp.set(appId, mine);
    let bytes = 0;
    let released = false;
    return {
      read: (n) => {
        if (released) return null;
        if (this.held + n > budgetBytes) return nativeErrors.overloaded(`too many ${what} bodies being read; retry later`);
        if (mine.bytes + n > budgetPerApp) {
          return nativeErrors.tooManyRequests(`app ${appId} has too many ${what} bodies being read; retry later`);
        }
        bytes += n;
        mine.bytes += n;
        this.held += n;
        return null;
      },
      release: () => {
        if (released) return;
        released = true;
        this.inFlight--;
        this.held -= bytes;
        mine.slots--;
        mine.bytes -= bytes;
        if (mine.slots === 0) this.perApp.delete(appId);
      },
    };
  }
}

// Every gate's bytes held, and the requests in flight of routes that do not name a gauge of
// their own, in two gauges labelled by route.
interface RouteGauges {
  unnamed: Map<string, Gate>;
  all: Map<string, Gate>;
}
const gaugesOf = new WeakMap<Registry, RouteGauges>();

function routeGauges(registry: Registry): RouteGauges {
  const known = gaugesOf.get(registry);
  if (known) return known;
  const gates: RouteGauges = { unnamed: new Map(), all: new Map() };
  gaugesOf.set(registry, gates);
  new Gauge({
    name: "roomledger_native_requests_in_flight",
    help: "Requests of native routes without a gauge of their own being read or handled, by route.",
    labelNames: ["route"],
    registers: [registry],
    collect() {
      for (const [route, gate] of gates.unnamed) this.set({ route }, gate.inFlight);
    },
  });
  new Gauge({
    name: "roomledger_native_body_bytes_held",
    help: "Bytes of request bodies read and held by native write routes, by route (503 past the route's budget, 429 past half of it for one app).",
    labelNames: ["route"],
    registers: [registry],
    collect() {
      for (const [route, gate] of gates.all) this.set({ route }, gate.held);
    },
  });
  return gates;
}

/** The gate of one route, bound to HTTP: admission before the body, release when the response closes. */
export class Backpressure {
  readonly gate: Gate;
  private readonly bodyLimit: number;

  constructor(limits: BackpressureLimits | undefined, route: string, bodyLimit: number, registry: Registry) {
    this.bodyLimit = bodyLimit;
    this.gate = new Gate(gateLimits(limits ?? { maxInFlight: 64, what: route }, bodyLimit));
    if (limits) {
      const gate = this.gate;
      new Gauge({
        name: limits.gauge.name,
        help: limits.gauge.help,
        registers: [registry],
        collect() {
          this.set(gate.inFlight);
        },
      });
    } else {
      routeGauges(registry).unnamed.set(route, this.gate);
    }
    routeGauges(registry).all.set(route, this.gate);
  }

  /** Takes a slot for this request or throws 503/429; the slot is given back when the response closes. */
  admit(req: FastifyRequest, reply: FastifyReply, appId: string): Ticket {
    // Past the body limit nothing is held (it is drained and dropped): a declared length counts up to it.
    const declared = Number(req.headers["content-length"]);
    const ticket = this.gate.admit(appId, Number.isSafeInteger(declared) && declared >= 0 ? Math.min(declared, this.bodyLimit) : null);
    if (!("read" in ticket)) throw ticket;
    reply.raw.once("close", () => ticket.release());
    return ticket;
  }
}

/**
 * The body as the route's readers see it, each chunk counted on the ticket as it arrives. A
 * chunk that does not fit ends the read with the refusal, the rest is left unread and the
 * connection is closed after the answer. Bytes past `limit` are not counted: the readers drop
 * them (draining, read-body.ts).
 */
export function meteredBody(payload: Readable, ticket: Ticket, reply: FastifyReply, limit: number): Readable {
  let seen = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      const counted = Math.max(0, Math.min(chunk.length, limit - seen));
      seen += chunk.length;
      const refused = counted > 0 ? ticket.read(counted) : null;
      if (!refused) return done(null, chunk);
      payload.unpipe(meter);
      payload.pause();
      reply.header("connection", "close");
      done(refused);
    },
  });
  payload.once("error", (err) => meter.destroy(err));
  return payload.pipe(meter);
}
