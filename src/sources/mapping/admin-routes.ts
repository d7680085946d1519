// Admin API of the sources, mounted at /admin/v1/sources/: linking a media server to an app
// (its credential, and the attendance settings of that source), listing the links, and the
// explicit room and user mappings. A new mapping recomputes the rooms it touches at once.
import type { FastifyInstance } from "fastify";
import { Type, type Static } from "@sinclair/typebox";
import { ApiError } from "../../errors/api-error.ts";
import type { Db } from "../../storage/db.ts";
import type { Tenancy } from "../../tenancy/tenancy.ts";
import type { Attendance } from "../attendance/attendance.ts";
import { roomsOfIdentity } from "../attendance/events-store.ts";
import { setSettings, settingsFor } from "../attendance/settings-store.ts";
import { linkSource, linksOf, SOURCE_KINDS } from "./links-store.ts";
import { setRoomMapping, setUserMapping } from "./map-store.ts";

const Kind = Type.Union(SOURCE_KINDS.map((k) => Type.Literal(k)));
const Name = Type.String({ minLength: 1, maxLength: 256 });
const Link = Type.Object(
  {
    appId: Type.String(),
    kind: Kind,
    keyId: Type.String({ minLength: 1, maxLength: 256, pattern: "^[^:\\s]+$" }),
    secret: Type.String({ minLength: 8, maxLength: 1024 }),
    reconnectGapSeconds: Type.Optional(Type.Number({ minimum: 0, maximum: 3600 })),
    openTimeoutSeconds: Type.Optional(Type.Number({ minimum: 1, maximum: 7 * 86400 })),
  },
  { additionalProperties: false },
);
const Mapping = Type.Object(
  {
    appId: Type.String(),
    source: Kind,
    room: Type.Optional(Name),
    target: Type.Optional(Name),
    identity: Type.Optional(Name),
    userId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  },
  { additionalProperties: false },
);

export interface SourcesAdminOptions {
  db: Db;
  tenancy: Pick<Tenancy, "app">;
  attendance: Attendance;
  now(): number;
}

export function sourcesAdminRoutes(opts: SourcesAdminOptions) {
  const { db, tenancy, attendance } = opts;
  const appOf = async (appId: string) => {
    const app = await tenancy.app(appId);
    if (!app) throw new ApiError("NotFound", { message: `no app ${appId}`, httpStatus: 404 });
    return app;
  };
  return async (scope: FastifyInstance): Promise<void> => {
    scope.post<{ Body: Static<typeof Link> }>("/links", { schema: { body: Link } }, async (req) => {
      const b = req.body;
      const app = await appOf(b.appId);
      return db.transaction(async (tx) => {
        const linked = await linkSource(tx, { kind: b.kind, keyId: b.keyId, secret: b.secret, appId: app.appId, now: opts.now() });
        if (!linked.ok) {
          throw new ApiError("Conflict", {
            message: `${b.kind} key ${b.keyId} is linked to another app (${linked.ownerAppId})`,
            httpStatus: 409,
          });
        }
        const settings =
          b.reconnectGapSeconds !== undefined || b.openTimeoutSeconds !== undefined
            ? await setSettings(tx, app.appId, b.kind, {
                ...(b.reconnectGapSeconds !== undefined ? { reconnectGapMs: Math.round(b.reconnectGapSeconds * 1000) } : {}),
                ...(b.openTimeoutSeconds !== undefined ? { openTimeoutMs: Math.round(b.openTimeoutSeconds * 1000) } : {}),
              })
            : await settingsFor(tx, app.appId, b.kind);
        return {
          appId: app.appId,
          kind: b.kind,
          keyId: b.keyId,
          webhookPath: `/ingest/v1/${b.kind}`,
          reconnectGapSeconds: settings.reconnectGapMs / 1000,
          openTimeoutSeconds: settings.openTimeoutMs / 1000,
        };
      });
    });

    scope.get<{ Querystring: { appId?: string } }>("/links", async (req) => {
      const app = await appOf(String(req.query.appId ?? ""));
      return { appId: app.appId, links: await linksOf(db, app.appId) };
    });

    scope.post<{ Body: Static<typeof Mapping> }>("/mappings", { schema: { body: Mapping } }, async (req) => {
      const b = req.body;
      const app = await appOf(b.appId);
      const room = b.room !== undefined && b.target !== undefined;
      const user = b.identity !== undefined && b.userId !== undefined;
      if (room === user) {
        throw new ApiError("BadRequest", { message: "give either room and target, or identity and userId", httpStatus: 400 });
      }
      return db.transaction(async (tx) => {
        let rooms: string[];
        if (room) {
          await setRoomMapping(tx, app.appId, b.source, b.room!, b.target!);
          rooms = [b.room!];
        } else {
          await setUserMapping(tx, app.appId, b.source, b.identity!, b.userId!);
          rooms = await roomsOfIdentity(tx, app.appId, b.source, b.identity!);
        }
        const outcomes = await attendance.recomputeRooms(tx, app, b.source, rooms);
        return { appId: app.appId, source: b.source, recomputed: Object.fromEntries(outcomes) };
      });
    });
  };
}
