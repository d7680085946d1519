// What every source's route is given (routes.ts mounts them with it): storage for its
// credential checks, the attendance model, the apps, the body limit and the metrics registry
// (each route's ingest gate, gate.ts).
import type { Db } from "../storage/db.ts";
import type { Tenancy } from "../tenancy/tenancy.ts";
import type { Attendance } from "./attendance/attendance.ts";
import type { ProductContext } from "../product-context.ts";
import type { RtcSettings } from "../products/rtc/settings.ts";
import type { Registry } from "prom-client";

export interface SourcesKit {
  db: Db;
  attendance: Attendance;
  tenancy: Pick<Tenancy, "app">;
  bodyLimit: number;
  /** Where each route's ingest gate reports (gate.ts). */
  registry: Registry;
  /** The domain clock (Janus: a QoS sample's stored time). */
  clock: { now(): number };
  /** The rtc product's context, where a source's QoS samples go (Janus); absent without rtc. */
  rtc?: ProductContext<RtcSettings>;
}
