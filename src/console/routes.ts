// The web console, mounted on the public (API) listener under /console/: that is the URL a
// user already has (the admin listener is loopback-only by default and speaks bearer
// tokens to scripts), and the console needs no more reach than the SDKs: an account signs
// in with its own key pair and sees its own apps, read-only. Every page is a GET; the only
// POSTs are sign-in and sign-out.
//
// Sign-in protection: the form carries a one-time token that must equal a signed,
// HttpOnly, SameSite=Strict cookie set with the form (a cross-site page can neither read
// nor send it), a cross-origin Origin header is refused, and sign-ins are limited to 10 a
// minute per client address. The session cookie is signed, HttpOnly, SameSite=Strict, Secure
// over HTTPS, scoped to /console. Pages send a strict Content-Security-Policy (no inline
// script, only this origin), so an unescaped value could not run even if one slipped by.
import { randomBytes } from "node:crypto";
import cookie from "@fastify/cookie";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { roomById } from "../products/lcic/rooms/rooms-store.ts";
import { appsPage } from "./apps-page.ts";
import { loadAssets } from "./assets.ts";
import { classPage } from "./class-page.ts";
import type { ConsoleContext } from "./context.ts";
import { fleetPage } from "./fleet-page.ts";
import { html } from "./html.ts";
import { BASE, page } from "./layout.ts";
import { qualityPage, qualityQuery } from "./quality-page.ts";
import { roomFilter, roomRows, roomsPage } from "./rooms-page.ts";
import { visibleApp } from "./scope.ts";
import { ConsoleSessions, SESSION_TTL_MS, type Viewer } from "./session.ts";
import { signInPage } from "./sign-in-page.ts";
import { readStatistics, statisticsCsv } from "./statistics-table.ts";
import { tasksPage } from "./tasks-page.ts";

export interface ConsoleOptions extends ConsoleContext {
  /** The listener serves HTTPS: cookies get Secure. */
  secure: boolean;
}

const SESSION_COOKIE = "rl_console";
const CSRF_COOKIE = "rl_console_csrf";
const CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

type Query = Record<string, string | undefined>;
type AppParams = { appId: string };

declare module "fastify" {
  interface FastifyRequest {
    viewer: Viewer | null;
  }
}

export async function consoleRoutes(app: FastifyInstance, opts: ConsoleOptions): Promise<void> {
  const ctx: ConsoleContext = { db: opts.db, tenancy: opts.tenancy, clock: opts.clock };
  const sessions = new ConsoleSessions(opts.tenancy);
  const assets = loadAssets();
  const signIns = new RateLimiterMemory({ points: 10, duration: 60 });
  const cookieBase = { path: BASE, httpOnly: true, sameSite: "strict" as const, secure: opts.secure, signed: true };

  // Sessions die with the process: the signing key is this process's.
  await app.register(cookie, { secret: randomBytes(32) });
  app.decorateRequest("viewer", null);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: 8192 }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  app.addHook("onSend", async (_req, reply, payload) => {
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "same-origin");
    if (!reply.getHeader("cache-control")) reply.header("cache-control", "no-store");
    if (String(reply.getHeader("content-type") ?? "").startsWith("text/html")) reply.header("content-security-policy", CSP);
    return payload;
  });
  app.setErrorHandler((err, req, reply) => {
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) req.log.error({ err }, "console page failed");
    return reply
      .code(Math.min(status, 500))
      .type("text/html; charset=utf-8")
      .send(
        page({
          title: "Error",
          viewer: req.viewer,
          body: html`<h1>${status >= 500 ? "Something went wrong" : "Bad request"}</h1><p class="muted">Request ${req.id}</p>`,
        }),
      );
  });
  app.setNotFoundHandler((req, reply) => notFound(req, reply));

  const sessionId = (req: FastifyRequest): string | null => {
    const raw = req.cookies[SESSION_COOKIE];
    if (!raw) return null;
    const u = req.unsignCookie(raw);
    return u.valid ? u.value : null;
  };

  /** Pages for a signed-in viewer only: the others go to the sign-in page (a fetch of rows gets 401). */
  const signedIn = async (req: FastifyRequest, reply: FastifyReply) => {
    const id = sessionId(req);
    req.viewer = id === null ? null : await sessions.viewer(id);
    if (req.viewer) return;
    if ((req.query as Query).rows) return reply.code(401).type("text/plain").send("signed out");
    return reply.redirect(`${BASE}/sign-in`, 303);
  };

  const showSignIn = async (reply: FastifyReply, error: string | null, status = 200) => {
    const csrf = randomBytes(18).toString("base64url");
    reply.setCookie(CSRF_COOKIE, csrf, { ...cookieBase, maxAge: 3600 });
    return reply.code(status).type("text/html; charset=utf-8").send(signInPage(csrf, error));
  };

  app.get("/assets/:name", async (req, reply) => {
    const a = assets.get((req.params as { name: string }).name);
    if (!a) return notFound(req, reply);
    reply.header("etag", a.etag).header("cache-control", "public, max-age=3600");
    if (req.headers["if-none-match"] === a.etag) return reply.code(304).send();
    return reply.type(a.type).send(a.body);
  });

  app.get("/", async (req, reply) => {
    const id = sessionId(req);
    return reply.redirect(`${BASE}/${id !== null && (await sessions.viewer(id)) ? "apps" : "sign-in"}`, 303);
  });
  app.get("/sign-in", async (_req, reply) => showSignIn(reply, null));

  app.post("/sign-in", async (req, reply) => {
    const origin = req.headers.origin;
    const host = req.headers.host;
    if (origin !== undefined && (host === undefined || new URL(origin, "http://x").host !== host)) {
      return reply.code(403).type("text/plain").send("cross-origin sign-in refused");
    }
    if ((await signIns.consume(req.ip).catch(() => null)) === null) {
      return showSignIn(reply, "Too many sign-in attempts from this address: wait a minute.", 429);
    }
    const body = (req.body ?? {}) as Record<string, string>;
    const raw = req.cookies[CSRF_COOKIE];
    const expected = raw ? req.unsignCookie(raw) : null;
    if (!expected?.valid || typeof body.csrf !== "string" || body.csrf !== expected.value) {
      return showSignIn(reply, "The sign-in form expired: try again.", 403);
    }
    const id = await sessions.signIn({
      secretId: body.secretId?.trim(),
      secretKey: body.secretKey,
      adminToken: body.adminToken?.trim() || undefined,
    });
    if (id === null) return showSignIn(reply, "Wrong SecretId/SecretKey or admin token.", 401);
    reply.clearCookie(CSRF_COOKIE, { path: BASE });
    reply.setCookie(SESSION_COOKIE, id, { ...cookieBase, maxAge: SESSION_TTL_MS / 1000 });
    return reply.redirect(`${BASE}/apps`, 303);
  });

  app.post("/sign-out", async (req, reply) => {
    const id = sessionId(req);
    if (id !== null) sessions.signOut(id);
    reply.clearCookie(SESSION_COOKIE, { path: BASE });
    return reply.redirect(`${BASE}/sign-in`, 303);
  });

  const htmlReply = (reply: FastifyReply, body: string) => reply.type("text/html; charset=utf-8").send(body);
  /** The app of the URL if the viewer may see it (and it has `product`), else the 404 page. */
  const appOf = async (req: FastifyRequest, reply: FastifyReply, product: string | string[]) => {
    const { appId } = req.params as AppParams;
    const found = await visibleApp(ctx.tenancy, req.viewer!, appId);
    const wanted = Array.isArray(product) ? product : [product];
    if (found && wanted.some((p) => found.products.includes(p))) return found;
    await notFound(req, reply);
    return null;
  };
  const roomOf = async (req: FastifyRequest, appId: string) => {
    const { roomId } = req.params as { roomId: string };
    if (!/^\d{1,15}$/.test(roomId)) return null;
    const room = await roomById(ctx.db, Number(roomId));
    return room && room.appId === appId ? room : null;
  };

  app.get("/apps", { preHandler: signedIn }, async (req, reply) => htmlReply(reply, await appsPage(ctx, req.viewer!)));
  app.get("/apps/:appId/rooms", { preHandler: signedIn }, async (req, reply) => {
    const a = await appOf(req, reply, "lcic");
    if (!a) return reply;
    const q = req.query as Query;
    return htmlReply(reply, q.rows ? await roomRows(ctx, a, roomFilter(q)) : await roomsPage(ctx, req.viewer!, a, roomFilter(q)));
  });
  app.get("/apps/:appId/rooms/:roomId", { preHandler: signedIn }, async (req, reply) => {
    const a = await appOf(req, reply, "lcic");
    if (!a) return reply;
    const room = await roomOf(req, a.appId);
    if (!room) return notFound(req, reply);
    return htmlReply(reply, await classPage(ctx, req.viewer!, a, room));
  });
  app.get("/apps/:appId/rooms/:roomId/statistics.csv", { preHandler: signedIn }, async (req, reply) => {
    const a = await appOf(req, reply, "lcic");
    if (!a) return reply;
    const room = await roomOf(req, a.appId);
    if (!room) return notFound(req, reply);
    const s = await readStatistics(ctx.db, room);
    if (s.kind !== "ready") return reply.code(409).type("text/plain; charset=utf-8").send(`${s.why}\n`);
    return reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", `attachment; filename="room-${room.roomId}-statistics.csv"`)
      .send(statisticsCsv(s.records));
  });
  app.get("/apps/:appId/quality", { preHandler: signedIn }, async (req, reply) => {
    const a = await appOf(req, reply, "rtc");
    if (!a) return reply;
    return htmlReply(reply, await qualityPage(ctx, req.viewer!, a, qualityQuery(req.query as Query, ctx.clock.now())));
  });
  app.get("/apps/:appId/tasks", { preHandler: signedIn }, async (req, reply) => {
    const a = await appOf(req, reply, ["tiw", "gme"]);
    if (!a) return reply;
    return htmlReply(reply, await tasksPage(ctx, req.viewer!, a));
  });
  app.get("/apps/:appId/fleet", { preHandler: signedIn }, async (req, reply) => {
    const a = await appOf(req, reply, "trro");
    if (!a) return reply;
    return htmlReply(reply, await fleetPage(ctx, req.viewer!, a, (req.query as Query).device));
  });
}

/** One 404 for what does not exist and what the viewer may not see. */
function notFound(req: FastifyRequest, reply: FastifyReply) {
  return reply
    .code(404)
    .type("text/html; charset=utf-8")
    .send(
      page({ title: "Not found", viewer: req.viewer ?? null, body: html`<h1>Not found</h1><p><a href="${BASE}/apps">Your apps</a></p>` }),
    );
}
