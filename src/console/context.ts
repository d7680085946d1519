// What the console's pages read through: the storage, the tenancy and the domain clock.
// Read-only by intent: no page writes (the sign-in keeps its sessions in memory).
import type { Db } from "../storage/db.ts";
import type { Tenancy } from "../tenancy/tenancy.ts";

export interface ConsoleContext {
  db: Db;
  tenancy: Tenancy;
  clock: { now(): number };
}
