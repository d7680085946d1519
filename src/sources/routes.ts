// The sources' routes on the public listener, under /ingest/v1 (server.ts registers this
// plugin with that prefix). One line per source; each route authenticates with its source's
// own credential and answers in the native envelope (src/protocols/native/render.ts).
import type { FastifyInstance } from "fastify";
import type { Db } from "../storage/db.ts";
import type { Tenancy } from "../tenancy/tenancy.ts";
import type { Attendance } from "./attendance/attendance.ts";
import { livekitRoute } from "./livekit/route.ts";
import { janusRoute } from "./janus/route.ts";
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

export async function sourceRoutes(app: FastifyInstance, kit: SourcesKit): Promise<void> {
  await app.register(livekitRoute, kit);
  // The kit arrives with server.ts's `prefix` in it: passed on as is, it would apply twice.
  await app.register(janusRoute, { ...kit, prefix: "" });
}
