// The sources' routes on the public listener, under /ingest/v1 (server.ts registers this
// plugin with that prefix). One line per source; each route authenticates with its source's
// own credential and answers in the native envelope (src/protocols/native/render.ts).
import type { FastifyInstance } from "fastify";
import type { SourcesKit } from "./kit.ts";
import { livekitRoute } from "./livekit/route.ts";
import { janusRoute } from "./janus/route.ts";

export type { SourcesKit };

export async function sourceRoutes(app: FastifyInstance, opts: SourcesKit & { prefix?: string }): Promise<void> {
  // Fastify hands the plugin its own options, prefix included: the routes get the kit alone
  // (passed on with the prefix, it would be applied twice).
  const { prefix: _prefix, ...kit } = opts;
  await app.register(livekitRoute, kit);
  await app.register(janusRoute, kit);
}
