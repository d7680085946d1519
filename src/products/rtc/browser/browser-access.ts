// Per-app browser access (rtc_browser_access): the token secret and the allowed origins.
// Read on every browser upload and preflight, written by the admin API; small enough that a
// lookup per request is cheaper than a cache to invalidate across instances.
import type { Db } from "../../../storage/db.ts";
import { alnum } from "../../../ids.ts";

export interface BrowserAccess {
  appId: string;
  secret: string;
  origins: string[];
}

/** An origin as browsers send it: scheme://host[:port], nothing after. */
export const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

export class BrowserAccessStore {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  async get(appId: string): Promise<BrowserAccess | null> {
    const r = await this.db.query<{ secret: string; origins: string[] }>(
      "select secret, origins from rtc_browser_access where app_id = $1",
      [appId],
    );
    const row = r.rows[0];
    return row ? { appId, secret: row.secret, origins: row.origins } : null;
  }

  /** Whether any app lets this origin upload (what a preflight can know: it carries no token). */
  async anyAllows(origin: string): Promise<boolean> {
    const r = await this.db.query("select 1 from rtc_browser_access where $1 = any(origins) limit 1", [origin]);
    return r.rows.length > 0;
  }

  /** Sets the origins; creates the secret the first time, or a new one with `rotate`. */
  async set(appId: string, origins: string[], rotate: boolean, now: number): Promise<BrowserAccess> {
    const existing = await this.get(appId);
    const secret = !existing || rotate ? `rlbs_${alnum(43)}` : existing.secret;
    await this.db.query(
      `insert into rtc_browser_access (app_id, secret, origins, updated_at) values ($1, $2, $3, $4)
       on conflict (app_id) do update set secret = excluded.secret, origins = excluded.origins, updated_at = excluded.updated_at`,
      [appId, secret, origins, now],
    );
    return { appId, secret, origins };
  }
}

const byDb = new WeakMap<object, BrowserAccessStore>();
export function browserAccessOf(db: Db): BrowserAccessStore {
  let s = byDb.get(db);
  if (!s) byDb.set(db, (s = new BrowserAccessStore(db)));
  return s;
}
