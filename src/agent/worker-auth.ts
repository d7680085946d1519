// Authentication of task workers (issue 16 item 4): `Authorization: Bearer <worker credential>`
// on the agent protocol and on the recorder views. The answers, and why:
// - 401 Unauthorized: no credential, an unknown or revoked one, or an app's ingest key. The
//   ingest key is what client apps carry; it no longer makes anyone a worker.
// - 403 Forbidden: a valid credential asking for a kind it was not created for (or whose
//   product the app does not have): who the caller is is known, what it asks is not allowed.
// - 409 LeaseLost for a heartbeat or report whose lease token is missing or is not the task's
//   current one (another lease's, an expired or taken-over one, one claimed through another
//   credential): the answer of a lease that ran out. A 401 tells a worker its credential is
//   bad (stop, alert); a 409 tells it to drop that one task and go on, which is right for a
//   worker that restarted and lost its tokens; and a guessed token learns nothing.
import type { FastifyRequest } from "fastify";
import { nativeErrors } from "../errors/native.ts";
import type { App } from "../tenancy/accounts.ts";
import type { Tenancy } from "../tenancy/tenancy.ts";
import type { Worker } from "../tenancy/worker-credentials.ts";

const INGEST_KEY_PREFIX = "rlik_";

export async function bearerWorker(req: FastifyRequest, tenancy: Pick<Tenancy, "workers">): Promise<Worker> {
  const m = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ""));
  if (!m) throw nativeErrors.unauthorized("a worker credential is required as `Authorization: Bearer <credential>`");
  const worker = await tenancy.workers.authenticate(m[1]!);
  if (worker) return worker;
  if (m[1]!.startsWith(INGEST_KEY_PREFIX)) {
    throw nativeErrors.unauthorized(
      "an ingest key does not authenticate workers: use a worker credential (roomledger worker-credentials create --app <id> --kind <kind>)",
    );
  }
  throw nativeErrors.unauthorized("unknown or revoked worker credential");
}

/** 403 unless the credential was created for this kind. */
export function checkKind(worker: Worker, kind: string): void {
  if (!worker.kinds.includes(kind)) {
    throw nativeErrors.forbidden(`this worker credential is for ${worker.kinds.join(", ")}, not for kind '${kind.slice(0, 64)}'`);
  }
}

/**
 * A recorder's read-only task view (LCIC, GME), as a native route's custom authentication: a
 * worker credential for the recording kind, or, as before worker credentials existed, the
 * app's ingest key (the view shows what the app's own clients report; it grants no lease and
 * carries no secret).
 */
export function recorderViewAuth(
  tenancy: Pick<Tenancy, "workers" | "appOfIngestKey">,
  kind: string,
): { kind: "custom"; authenticate(req: FastifyRequest): Promise<App> } {
  return {
    kind: "custom",
    async authenticate(req): Promise<App> {
      const m = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ""));
      if (!m)
        throw nativeErrors.unauthorized(
          `a worker credential for ${kind} (or the app's ingest key) is required as \`Authorization: Bearer <credential>\``,
        );
      const worker = await tenancy.workers.authenticate(m[1]!);
      if (worker) {
        checkKind(worker, kind);
        return worker.app;
      }
      const app = await tenancy.appOfIngestKey(m[1]!);
      if (!app) throw nativeErrors.unauthorized("unknown or revoked worker credential or ingest key");
      return app;
    },
  };
}
