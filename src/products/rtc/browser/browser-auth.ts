// Authentication of QoS uploads: the app's ingest key (server side), or a browser upload
// token (browser-tokens.ts) whose scope then limits which samples the request may carry.
// Clear bodies on purpose: a browser developer reads them in the console.
//   401 Unauthorized: no credential, malformed token, bad signature, unknown app, expired.
//   403 Forbidden: the app has no rtc, the page's Origin is not allowed for the token's app,
//                  or (in the handler) a sample outside the token's room and user.
import type { FastifyRequest } from "fastify";
import { nativeErrors } from "../../../errors/native.ts";
import type { App } from "../../../tenancy/accounts.ts";
import type { ProductContext } from "../../../product-context.ts";
import { browserAccessOf } from "./browser-access.ts";
import { parseBrowserToken, TOKEN_PREFIX, verifyBrowserToken, type BrowserTokenScope } from "./browser-tokens.ts";

/** The token scope of each browser request, keyed by the fresh App object the handler receives. */
const scopes = new WeakMap<App, BrowserTokenScope>();
export const browserScopeOf = (app: App): BrowserTokenScope | undefined => scopes.get(app);

export async function authenticateQosUpload(req: FastifyRequest, ctx: ProductContext): Promise<App> {
  const auth = req.headers.authorization;
  const m = typeof auth === "string" ? /^Bearer (\S+)$/.exec(auth) : null;
  if (!m) throw nativeErrors.unauthorized("an ingest key or a browser upload token is required as `Authorization: Bearer <credential>`");
  if (!m[1]!.startsWith(`${TOKEN_PREFIX}.`)) {
    const app = await ctx.tenancy.appOfIngestKey(m[1]!);
    if (!app) throw nativeErrors.unauthorized("unknown ingest key");
    if (!app.products.includes("rtc")) throw nativeErrors.forbidden(`app ${app.appId} is not an RTC app`);
    return app;
  }
  const parsed = parseBrowserToken(m[1]!);
  if (!parsed) throw nativeErrors.unauthorized("the browser token is malformed");
  const access = await browserAccessOf(ctx.db).get(parsed.scope.appId);
  const app = access ? await ctx.tenancy.app(parsed.scope.appId) : null;
  // One answer for an unknown app and a bad signature: app ids cannot be probed with tokens.
  if (!access || !app) throw nativeErrors.unauthorized("the browser token's signature is not valid");
  // Credential lifetimes are wall time (the domain clock may be moved in tests and demos).
  const verdict = verifyBrowserToken(parsed, access.secret, Date.now());
  if (!verdict.ok) {
    if (verdict.reason === "expired") {
      throw nativeErrors.unauthorized(
        `the browser token expired at ${new Date(parsed.scope.expiresAt * 1000).toISOString()}; mint a new one`,
      );
    }
    if (verdict.reason === "too-long-lived")
      throw nativeErrors.unauthorized("the browser token lives longer than 24 hours; mint a shorter one");
    throw nativeErrors.unauthorized("the browser token's signature is not valid");
  }
  if (!app.products.includes("rtc")) throw nativeErrors.forbidden(`app ${app.appId} is not an RTC app`);
  const origin = req.headers.origin;
  if (typeof origin === "string" && !access.origins.includes(origin)) {
    throw nativeErrors.forbidden(`origin ${origin} may not upload for app ${app.appId}; allow it with \`roomledger browser-access set\``);
  }
  // A fresh App object per request: the scope travels with it to the handler.
  const scoped = { ...app };
  scopes.set(scoped, verdict.scope);
  return scoped;
}

/**
 * The first sample outside a token's scope, or null. A browser measures its own user's calls:
 * uplink samples of that user (uid = user, peer_id "0") and downlink samples it received
 * (peer_id = user, uid = the sender), in the token's room only.
 */
export function outOfScope(
  scope: BrowserTokenScope,
  rows: { room: string[]; uid: string[]; peer: string[] },
): { index: number; reason: string } | null {
  for (let i = 0; i < rows.room.length; i++) {
    if (rows.room[i] !== scope.roomId) return { index: i, reason: `room_id ${rows.room[i]} is not the token's room ${scope.roomId}` };
    const own = rows.peer[i] === "0" ? rows.uid[i] === scope.userId : rows.peer[i] === scope.userId;
    if (!own)
      return {
        index: i,
        reason: `a sample of uid ${rows.uid[i]} to peer ${rows.peer[i]} is not measured by the token's user ${scope.userId}`,
      };
  }
  return null;
}
