// The ingest service: the registry of event types, and validating and storing a batch all
// or nothing. Used by the ingest API and by the native batch routes that authenticate
// differently (TRRO device reports). A platform piece: it knows no transport and no product.
import { Ajv, type ValidateFunction } from "ajv";
import { nativeErrors, type BadEvent } from "../errors/native.ts";
import type { App } from "../tenancy/accounts.ts";
import type { ProductContext } from "../product-context.ts";
import type { Db } from "../storage/db.ts";
import type { Clock } from "../time/clock.ts";
import type { IngestEvent, IngestEventType } from "./event-type.ts";
import { logEvents } from "./event-log.ts";

export type { BadEvent };

export interface BatchResult {
  received: number;
  accepted: number;
  duplicates: number;
}

interface Compiled {
  type: IngestEventType<any>;
  /** Compiled on the first event of the type (validator()), not at start-up. */
  validate: ValidateFunction | null;
  /** The context of the product that declared the type, for its apply/store. */
  ctx: ProductContext<any>;
}

const ENVELOPE_KEYS = new Set(["id", "type", "ctime", "data"]);
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export class IngestRegistry {
  private readonly types = new Map<string, Compiled>();
  private readonly ajv = new Ajv({ allErrors: false, strict: false });
  private readonly db: Db;
  private readonly clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  register(type: IngestEventType<any>, ctx: ProductContext<any>): void {
    if (this.types.has(type.type)) throw new Error(`ingest event type ${type.type} registered twice`);
    // Compiling every type's schema took a large share of the server's start (ajv generates
    // and evaluates code per schema); a type is compiled when its first event arrives.
    this.types.set(type.type, { type, validate: null, ctx });
  }

  private validator(compiled: Compiled): ValidateFunction {
    compiled.validate ??= this.ajv.compile(compiled.type.data);
    return compiled.validate;
  }

  list(): IngestEventType<any>[] {
    return [...this.types.values()].map((c) => c.type);
  }

  /** Checks one event's envelope and data; returns the parsed event or the reason it is bad. */
  check(raw: unknown, app: App, stime: number): IngestEvent<unknown> | string {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return "an event must be a JSON object";
    const e = raw as Record<string, unknown>;
    for (const k of Object.keys(e)) if (!ENVELOPE_KEYS.has(k)) return `unknown envelope field '${k}'`;
    if (typeof e.id !== "string" || e.id.length === 0 || e.id.length > 128) return "'id' must be a string of 1 to 128 characters";
    if (typeof e.type !== "string") return "'type' must be a string";
    const compiled = this.types.get(e.type);
    if (!compiled) return `unknown event type '${e.type.slice(0, 64)}'`;
    if (compiled.type.product !== "*" && !app.products.includes(compiled.type.product)) {
      return `event type '${e.type}' belongs to product '${compiled.type.product}', which app ${app.appId} does not have`;
    }
    const ctime = parseTime(e.ctime);
    if (ctime === null) return "'ctime' must be Unix milliseconds or an ISO-8601 time with a zone";
    if (e.data === undefined) return "'data' is required";
    const validate = this.validator(compiled);
    if (!validate(e.data)) {
      const err = validate.errors?.[0];
      return `data${err?.instancePath ?? ""} ${err?.message ?? "is invalid"}`;
    }
    return { id: e.id, type: e.type, ctime, stime, data: e.data };
  }

  /**
   * Validates the whole batch; if any event is bad, throws 400 naming every bad event and
   * stores nothing. Otherwise stores it in one transaction and returns the counts after
   * the commit.
   */
  async ingest(app: App, raws: readonly unknown[]): Promise<BatchResult> {
    const stime = this.clock.now();
    const bad: BadEvent[] = [];
    const events: IngestEvent<unknown>[] = [];
    raws.forEach((raw, index) => {
      const r = this.check(raw, app, stime);
      if (typeof r === "string") bad.push({ index, reason: r });
      else events.push(r);
    });
    if (bad.length > 0) throw nativeErrors.invalidBatch(bad);
    if (events.length === 0) return { received: 0, accepted: 0, duplicates: 0 };

    const accepted = await this.db.transaction(async (tx) => {
      let n = 0;
      const logged = events.filter((e) => !this.types.get(e.type)!.type.store);
      const fresh = logged.length > 0 ? await logEvents(tx, app.appId, stime, logged) : new Set<string>();
      n += fresh.size;
      // Apply per type, in the order types first appear in the batch, each with its events
      // in batch order; an event id repeated inside the batch is applied once.
      for (const [name, group] of groupByType(events)) {
        const { type: t, ctx } = this.types.get(name)!;
        if (t.store) {
          n += (await t.store(tx, app, group, ctx)).accepted;
        } else if (t.apply) {
          const seen = new Set<string>();
          const news = group.filter((e) => fresh.has(e.id) && !seen.has(e.id) && seen.add(e.id));
          if (news.length > 0) await t.apply(tx, app, news, ctx);
        }
      }
      return n;
    });
    return { received: events.length, accepted, duplicates: events.length - accepted };
  }
}

function groupByType(events: IngestEvent<unknown>[]): Map<string, IngestEvent<unknown>[]> {
  const out = new Map<string, IngestEvent<unknown>[]>();
  for (const e of events) {
    const g = out.get(e.type);
    if (g) g.push(e);
    else out.set(e.type, [e]);
  }
  return out;
}

export function parseTime(v: unknown): number | null {
  if (typeof v === "number") return Number.isSafeInteger(v) && v >= 0 ? v : null;
  if (typeof v === "string" && ISO_TIME.test(v)) {
    const t = Date.parse(v);
    return Number.isFinite(t) && t >= 0 ? t : null;
  }
  return null;
}
