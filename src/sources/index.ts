// Media servers (SFUs) feeding the ledger: what server.ts builds and mounts. The attendance
// model is in attendance/ (its index.ts header is the API sources use), the credentials and
// mappings in mapping/, each source's adapter in its own folder.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Attendance, type AttendanceDeps } from "./attendance/attendance.ts";
import { sourcesAdminRoutes } from "./mapping/admin-routes.ts";

export { sourceRoutes, type SourcesKit } from "./routes.ts";

/** The migrations of the sources' tables (component "sources"). */
export const SOURCES_MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), "migrations");

export function createSources(
  deps: AttendanceDeps & { tenancy: { app(appId: string): Promise<import("../tenancy/accounts.ts").App | null> } },
) {
  const attendance = new Attendance(deps);
  return {
    attendance,
    jobs: attendance.jobs(),
    adminRoutes: sourcesAdminRoutes({ db: deps.db, tenancy: deps.tenancy, attendance, now: () => deps.clock.now() }),
  };
}
