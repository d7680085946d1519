// What every source's route is given (routes.ts mounts them with it): storage for its
// credential checks, the attendance model, the apps, and the body limit.
import type { Db } from "../storage/db.ts";
import type { Tenancy } from "../tenancy/tenancy.ts";
import type { Attendance } from "./attendance/attendance.ts";
import type { ProductContext } from "../product-context.ts";
import type { RtcSettings } from "../products/rtc/settings.ts";

export interface SourcesKit {
  db: Db;
  attendance: Attendance;
  tenancy: Pick<Tenancy, "app">;
  bodyLimit: number;
  /** The domain clock (Janus: a QoS sample's stored time). */
  clock: { now(): number };
  /** The rtc product's context, where a source's QoS samples go (Janus); absent without rtc. */
  rtc?: ProductContext<RtcSettings>;
}
