// What every source's route is given (routes.ts mounts them with it): storage for its
// credential checks, the attendance model, the apps, and the body limit.
import type { Db } from "../storage/db.ts";
import type { Tenancy } from "../tenancy/tenancy.ts";
import type { Attendance } from "./attendance/attendance.ts";

export interface SourcesKit {
  db: Db;
  attendance: Attendance;
  tenancy: Pick<Tenancy, "app">;
  bodyLimit: number;
}
