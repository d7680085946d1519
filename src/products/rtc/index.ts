// Huawei Cloud SparkRTC client QoS: ingest of call-quality samples (NDJSON stream and the
// `rtc.qos` event type), ListRtcClientQosDetails over Huawei's gateway protocol, X-Auth-Token
// issuance, and partition retention.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Product } from "../product.ts";
import { huaweiGateway } from "../../protocols/huawei/gateway.ts";
import { listRtcClientQosDetails } from "./list-rtc-client-qos-details.ts";
import { qosEvent } from "./qos-ingest.ts";
import { qosStoreOf } from "./qos-store.ts";
import { qosStreamRoutes } from "./qos-stream.ts";
import { maintenanceJob, scheduleMaintenance } from "./retention.ts";
import { tokensOf } from "./tokens.ts";
import { rtcAdminRoutes } from "./admin-routes.ts";

const here = dirname(fileURLToPath(import.meta.url));

export const rtc: Product = {
  name: "rtc",
  migrations: join(here, "migrations"),
  events: [qosEvent],
  async routes(app, platform) {
    await app.register(huaweiGateway, {
      prefix: "/v1",
      platform,
      routes: [listRtcClientQosDetails(qosStoreOf(platform.db))],
      tokens: tokensOf(platform.db, platform.tenancy),
      rateLimitPerSecond: platform.config.huaweiRateLimitPerSecond,
    });
    await app.register(async (scope) => qosStreamRoutes(scope, platform));
    // The retention job needs this platform's database and clock: registered here, at start-up.
    platform.jobs.register(maintenanceJob(platform));
    await scheduleMaintenance(platform, platform.clock.now());
  },
  adminRoutes: rtcAdminRoutes,
};
