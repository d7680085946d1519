// The embedded database as a Db before it is open (issue 15's cold start). PGlite's start
// (~0.3 s of the main thread, in steps that wait for the early start's thread) and the
// server's own set-up (its routes, ~0.1 s) then share the main thread instead of running one
// after the other: a query made before the database is open waits for it, one made after
// goes straight through (one check more per call). Only for PGlite, whose capabilities are
// known before it opens; PostgreSQL's pool is needed by the set-up itself.
import type { Db, DbCapabilities } from "./db.ts";

/** A Db that forwards to `opening`'s database once it is open (a rejection: each call's). */
export function deferredDb(opening: Promise<Db>, capabilities: DbCapabilities): Db {
  let open: Db | null = null;
  const ready = opening.then((db) => (open = db));
  ready.catch(() => {}); // each call that waits sees the failure; the server awaits `opening` itself
  return {
    capabilities,
    get migrations() {
      return open?.migrations;
    },
    query: (sql, params) => (open ? open.query(sql, params) : ready.then((db) => db.query(sql, params))),
    exec: (sql) => (open ? open.exec(sql) : ready.then((db) => db.exec(sql))),
    transaction: (fn) => (open ? open.transaction(fn) : ready.then((db) => db.transaction(fn))),
    vacuumDue: () => (open ? (open.vacuumDue?.() ?? Promise.resolve([])) : ready.then((db) => db.vacuumDue?.() ?? [])),
    close: () => ready.then((db) => db.close()),
  };
}
