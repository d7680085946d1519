// Huawei Cloud SparkRTC client QoS: ingest of call-quality samples (NDJSON stream and the
// `rtc.qos` event type), ListRtcClientQosDetails over Huawei's gateway protocol, X-Auth-Token
// issuance, and partition retention.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Product } from "../product.ts";
import { listRtcClientQosDetails } from "./list-rtc-client-qos-details.ts";
import { qosEvent } from "./qos-ingest.ts";
import { qosStoreOf } from "./qos-store.ts";
import { qosStreamRoute } from "./qos-stream.ts";
import { rtcSettings, type RtcSettings } from "./settings.ts";
import { maintenanceJob, scheduleMaintenance } from "./retention.ts";
import { tokensOf } from "./tokens.ts";
import { rtcAdminRoutes } from "./admin-routes.ts";

const here = dirname(fileURLToPath(import.meta.url));

export const rtc: Product<RtcSettings> = {
  name: "rtc",
  migrations: join(here, "migrations"),
  settings: rtcSettings,
  // Huawei RTC app ids are 24 hex digits.
  appIdShape: "hex-24",
  events: [qosEvent],
  huawei: (ctx) => ({ routes: [listRtcClientQosDetails(ctx, qosStoreOf(ctx.db))], tokens: tokensOf(ctx.db, ctx.tenancy) }),
  native: (ctx) => [qosStreamRoute(ctx)],
  jobs: (ctx) => [maintenanceJob(ctx)],
  // Partitions for today and tomorrow exist before the first sample, and retention runs hourly from now.
  start: (ctx) => scheduleMaintenance(ctx, ctx.clock.now()),
  adminRoutes: rtcAdminRoutes,
};
