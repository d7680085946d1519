// The API documentation pages (/docs: Swagger UI, /docs/json, /docs/yaml, its static files),
// made at their first request instead of at every start. @fastify/swagger-ui loads YAML,
// @fastify/static and their dependencies when it registers: ~0.1 s of every start (issue 15's
// start-up target) for pages a test or an emulated client never asks for.
//
// The public listener keeps @fastify/swagger, which collects every route's schema as the
// routes are added (the document is the same as before). On the first request under the
// prefix, a small Fastify instance of its own is made, serving that document (swagger's
// static mode) through Swagger UI at the same prefix; every request under the prefix is then
// answered by it (Fastify's inject: no socket), status, headers and body passed on as they are.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";

// The listener's own connection handling (the body comes whole, its length passed on).
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding"]);

/** Mounts the documentation pages at `prefix` of `app`, which has @fastify/swagger registered. */
export function lazyDocs(app: FastifyInstance, prefix: string): void {
  let docs: Promise<FastifyInstance> | null = null;
  const make = async (): Promise<FastifyInstance> => {
    const [{ default: swagger }, { default: swaggerUi }] = await Promise.all([import("@fastify/swagger"), import("@fastify/swagger-ui")]);
    const pages = Fastify();
    await pages.register(swagger, { mode: "static", specification: { document: app.swagger() as never } });
    await pages.register(swaggerUi, { routePrefix: prefix });
    await pages.ready();
    return pages;
  };
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    // A failed make (it should not) is tried again by the next request rather than kept.
    docs ??= make().catch((err: unknown) => {
      docs = null;
      throw err;
    });
    const res = await (await docs).inject({ method: req.method as "GET" | "HEAD", url: req.url, headers: req.headers });
    for (const [name, value] of Object.entries(res.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) reply.header(name, value);
    return reply.code(res.statusCode).send(res.rawPayload);
  };
  for (const url of [prefix, `${prefix}/*`]) app.route({ method: ["GET", "HEAD"], url, schema: { hide: true }, handler });
}
