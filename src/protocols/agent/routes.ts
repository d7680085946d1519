// The worker agent protocol over HTTP (native, documented at /docs), authenticated per app
// with the app's ingest key, like the ingest API:
//   POST /agent/v1/claim                      {kind, workerId}            → {task | null, leaseMs}
//   POST /agent/v1/tasks/:taskId/heartbeat    {workerId}                  → {stop, leaseMs} | 409
//   POST /agent/v1/heartbeats                 {workerId, taskIds: [...]}  → {tasks: [{taskId, stop}], lost: [...], leaseMs}
//   POST /agent/v1/tasks/:taskId/reports      {workerId, reports: [...]}  → {applied, stop} | 400 | 409
import type { FastifyInstance } from "fastify";
import { Type, type Static } from "@sinclair/typebox";
import { Ajv, type ValidateFunction } from "ajv";
import { ApiError } from "../../errors/api-error.ts";
import type { Platform } from "../../platform.ts";
import { bearerApp, nativeErrorHandler } from "../ingest/routes.ts";
import { invalidBatch, type BadEvent } from "../ingest/batch.ts";
import { claimTask, heartbeatMany, lockHeld, type AgentKind } from "../../agent/tasks.ts";

const WorkerId = Type.String({ minLength: 1, maxLength: 128, description: "a stable id of the worker process" });
const Claim = Type.Object({ kind: Type.String({ maxLength: 64 }), workerId: WorkerId }, { additionalProperties: false });
const Heartbeat = Type.Object({ workerId: WorkerId }, { additionalProperties: false });
const Heartbeats = Type.Object(
  { workerId: WorkerId, taskIds: Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { minItems: 1, maxItems: 1000, uniqueItems: true }) },
  { additionalProperties: false },
);
const Reports = Type.Object(
  {
    workerId: WorkerId,
    reports: Type.Array(
      Type.Object(
        {
          type: Type.String({ maxLength: 64 }),
          time: Type.Optional(Type.Integer({ minimum: 0, description: "when it happened, Unix ms (default: now)" })),
          data: Type.Optional(Type.Object({}, { additionalProperties: true })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);
const TaskParams = Type.Object({ taskId: Type.String({ maxLength: 128 }) });

export interface AgentOptions {
  platform: Platform;
  kinds: Map<string, AgentKind>;
  leaseMs: number;
}

/** The report types of every kind and the schema of their `data`, for the OpenAPI page. */
function reportTypesDoc(kinds: Map<string, AgentKind>): string {
  const lines = ["Report types by task kind (`data` schema):"];
  for (const k of kinds.values()) {
    for (const [type, schema] of Object.entries(k.reports)) lines.push(`- \`${k.kind}\` **${type}**: \`${JSON.stringify(schema)}\``);
  }
  return lines.join("\n");
}

const leaseLost = () =>
  new ApiError("LeaseLost", { message: "this worker does not hold the task's lease (expired, taken over, or the task is done)", httpStatus: 409 });

export async function agentRoutes(app: FastifyInstance, { platform, kinds, leaseMs }: AgentOptions): Promise<void> {
  app.setErrorHandler(nativeErrorHandler);
  const ajv = new Ajv({ strict: false });
  const validators = new Map<string, ValidateFunction>();
  for (const k of kinds.values()) for (const [type, schema] of Object.entries(k.reports)) validators.set(`${k.kind}/${type}`, ajv.compile(schema));

  const kindFor = (name: string, products: string[]): AgentKind => {
    const kind = kinds.get(name);
    if (!kind) throw new ApiError("UnknownKind", { message: `unknown task kind '${name.slice(0, 64)}'`, httpStatus: 400 });
    if (!products.includes(kind.product)) {
      throw new ApiError("Forbidden", { message: `this app does not have product '${kind.product}'`, httpStatus: 403 });
    }
    return kind;
  };

  app.post<{ Body: Static<typeof Claim> }>(
    "/claim",
    { schema: { summary: "Claim the oldest waiting task of a kind, with a lease", security: [{ ingestKey: [] }], body: Claim } },
    async (req) => {
      const owner = await bearerApp(req, platform);
      kindFor(req.body.kind, owner.products);
      const task = await claimTask(platform.db, owner.appId, req.body.kind, req.body.workerId, leaseMs, platform.clock.now());
      return {
        task: task && { taskId: task.taskId, kind: task.kind, attempt: task.attempts, spec: task.spec, stop: task.stopRequested },
        leaseMs,
      };
    },
  );

  app.post<{ Body: Static<typeof Heartbeat>; Params: Static<typeof TaskParams> }>(
    "/tasks/:taskId/heartbeat",
    {
      schema: {
        summary: "Extend the lease; the answer says whether to go on or stop",
        security: [{ ingestKey: [] }],
        body: Heartbeat,
        params: TaskParams,
      },
    },
    async (req) => {
      const owner = await bearerApp(req, platform);
      // The batch statement with one id: it returns only the stop flag (not the task's spec).
      const held = await heartbeatMany(platform.db, owner.appId, [req.params.taskId], req.body.workerId, leaseMs);
      const stop = held.get(req.params.taskId);
      if (stop === undefined) throw leaseLost();
      return { stop, leaseMs };
    },
  );

  app.post<{ Body: Static<typeof Heartbeats> }>(
    "/heartbeats",
    {
      schema: {
        summary: "Extend the leases of several tasks this worker holds (one request for a worker running many)",
        description: "Tasks the worker no longer holds (lease expired, taken over, done, unknown) are listed in `lost`.",
        security: [{ ingestKey: [] }],
        body: Heartbeats,
      },
    },
    async (req) => {
      const owner = await bearerApp(req, platform);
      const held = await heartbeatMany(platform.db, owner.appId, req.body.taskIds, req.body.workerId, leaseMs);
      return {
        tasks: [...held].map(([taskId, stop]) => ({ taskId, stop })),
        lost: req.body.taskIds.filter((id) => !held.has(id)),
        leaseMs,
      };
    },
  );

  app.post<{ Body: Static<typeof Reports>; Params: Static<typeof TaskParams> }>(
    "/tasks/:taskId/reports",
    {
      schema: {
        summary: "Report progress, exceptions and the finish (applied all or nothing, in order)",
        description: reportTypesDoc(kinds),
        security: [{ ingestKey: [] }],
        body: Reports,
        params: TaskParams,
      },
    },
    async (req) => {
      const owner = await bearerApp(req, platform);
      return platform.db.transaction(async (tx) => {
        const task = await lockHeld(tx, owner.appId, req.params.taskId, req.body.workerId);
        if (!task) throw leaseLost();
        const kind = kinds.get(task.kind)!;
        const bad: BadEvent[] = [];
        req.body.reports.forEach((r, index) => {
          const validate = validators.get(`${task.kind}/${r.type}`);
          if (!validate) bad.push({ index, reason: `unknown report type '${r.type}' for kind '${task.kind}'` });
          else if (!validate(r.data ?? {})) {
            const e = validate.errors?.[0];
            bad.push({ index, reason: `data${e?.instancePath ?? ""} ${e?.message ?? "is invalid"}` });
          }
        });
        if (bad.length > 0) throw invalidBatch(bad);
        for (const r of req.body.reports) {
          await kind.onReport(tx, task, { type: r.type, time: r.time ?? platform.clock.now(), data: r.data ?? {} }, platform);
        }
        return { applied: req.body.reports.length, stop: task.stopRequested };
      });
    },
  );
}
