// Backpressure for the native write paths: a request holds a slot (and, with a byte budget,
// its declared length, the whole body limit when chunked) from before its body is read until
// its response closes, sent or aborted. Beyond the slots or the budget: 503 + Retry-After;
// beyond an app's fair share: 429 + Retry-After. The gauge lets operators (and the tests,
// instead of sleeping) watch saturation.
import type { FastifyReply, FastifyRequest } from "fastify";
import { Gauge, type Registry } from "prom-client";
import { nativeErrors } from "../../errors/native.ts";

export interface BackpressureLimits {
  /** Requests in flight beyond which the route answers 503. */
  maxInFlight: number;
  /** Requests in flight of one app beyond which the route answers 429. */
  maxPerApp?: number;
  /** Bytes of bodies (declared lengths) beyond which the route answers 503. */
  budgetBytes?: number;
  /** The gauge of requests in flight, and what the route is called in the answers. */
  gauge: { name: string; help: string };
  what: string;
}

export class Backpressure {
  private inFlight = 0;
  private reserved = 0;
  private readonly perApp = new Map<string, number>();
  private readonly limits: BackpressureLimits;
  private readonly bodyLimit: number;

  constructor(limits: BackpressureLimits, bodyLimit: number, registry: Registry) {
    this.limits = limits;
    this.bodyLimit = bodyLimit;
    const self = this;
    new Gauge({
      name: limits.gauge.name,
      help: limits.gauge.help,
      registers: [registry],
      collect() {
        this.set(self.inFlight);
      },
    });
  }

  /** Takes a slot for this request or throws 503/429; the slot is given back when the response closes. */
  admit(req: FastifyRequest, reply: FastifyReply, appId: string): void {
    const { maxInFlight, maxPerApp, budgetBytes, what } = this.limits;
    const declared = Number(req.headers["content-length"]);
    const bytes =
      budgetBytes === undefined ? 0 : Number.isSafeInteger(declared) && declared >= 0 ? Math.min(declared, this.bodyLimit) : this.bodyLimit;
    if (this.inFlight >= maxInFlight || (budgetBytes !== undefined && this.reserved + bytes > budgetBytes)) {
      throw nativeErrors.overloaded(`too many ${what} requests in flight; retry later`);
    }
    const mine = this.perApp.get(appId) ?? 0;
    if (maxPerApp !== undefined && mine >= maxPerApp) {
      throw nativeErrors.tooManyRequests(`app ${appId} has ${mine} ${what} requests in flight; retry later`);
    }
    this.inFlight++;
    this.reserved += bytes;
    this.perApp.set(appId, mine + 1);
    reply.raw.once("close", () => {
      this.inFlight--;
      this.reserved -= bytes;
      const left = (this.perApp.get(appId) ?? 1) - 1;
      if (left <= 0) this.perApp.delete(appId);
      else this.perApp.set(appId, left);
    });
  }
}
