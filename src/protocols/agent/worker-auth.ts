// Authentication of task workers (issue 16 item 4): `Authorization: Bearer <worker credential>`
// on the agent protocol and on the recorder views. The answers, and why:
// - 401 Unauthorized: no credential, an unknown or revoked one, or an app's ingest key. The
//   ingest key is what client apps carry; it no longer makes anyone a worker.
// - 403 Forbidden: a valid credential asking for a kind it was not created for (or whose
//   product the app does not have): who the caller is is known, what it asks is not allowed.
// - 401 for a heartbeat or report without a lease token (routes.ts): the request carries no
//   proof for the task, as a request without a credential carries none for the app.
// - 409 LeaseLost for a lease token that is not the task's current one (another lease's, an
//   expired or taken-over one, or one of another credential): the same answer as a lease
//   that ran out, so that a worker drops the task and goes on, and so that a guessed token
//   learns nothing about the task.
import type { FastifyRequest } from "fastify";
import { nativeErrors } from "../../errors/native.ts";
import type { App } from "../../tenancy/accounts.ts";
import type { Tenancy } from "../../tenancy/tenancy.ts";
import type { Worker } from "../../tenancy/worker-credentials.ts";
import type { NativeAuth } from "../native/route.ts";

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
 * A recorder's read-only task view (LCIC, GME): a worker credential for the recording kind,
 * or, as before worker credentials existed, the app's ingest key (the view shows what the
 * app's own clients report; it grants no lease and carries no secret).
 */
export function recorderViewAuth(tenancy: Pick<Tenancy, "workers" | "appOfIngestKey">, kind: string): NativeAuth {
  return {
    kind: "custom",
    async authenticate(req): Promise<App> {
      const m = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ""));
      if (!m) throw nativeErrors.unauthorized(`a worker credential for ${kind} (or the app's ingest key) is required as \`Authorization: Bearer <credential>\``);
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
