// What a product declares for each ingest event type it accepts. `apply` and `store` get the
// context of the product that declared the type.
import type { Static, TSchema } from "@sinclair/typebox";
import type { App } from "../tenancy/accounts.ts";
import type { ProductContext } from "../product-context.ts";
import type { Queryable } from "../storage/db.ts";

export interface IngestEvent<D> {
  /** The client's event id: a retried event carries the same id and is stored once. */
  id: string;
  type: string;
  /** When it happened (client time), Unix ms. */
  ctime: number;
  /** When it was stored (server domain time), Unix ms. */
  stime: number;
  data: D;
}

export interface IngestEventType<S extends TSchema = TSchema> {
  /** Dotted name, product first: `lcic.member.joined`. */
  type: string;
  /** The app that sends it must have this product enabled ("*": any app). */
  product: string;
  /** Schema of `data` (compiled once; also documented in the OpenAPI page). */
  data: S;
  /**
   * Default storage: the generic event log, deduplicated on (app, id). `apply` then sees
   * only the events that were new, inside the batch's transaction.
   */
  apply?(tx: Queryable, app: App, events: IngestEvent<Static<S>>[], ctx: ProductContext<any>): Promise<void>;
  /**
   * High-volume types store (and deduplicate) themselves instead of using the generic log;
   * returns how many events were new. Runs inside the batch's transaction.
   */
  store?(tx: Queryable, app: App, events: IngestEvent<Static<S>>[], ctx: ProductContext<any>): Promise<{ accepted: number }>;
}

/** Declares an event type with `apply`/`store` typed by its schema. */
export function defineEventType<S extends TSchema>(t: IngestEventType<S>): IngestEventType<S> {
  return t;
}
