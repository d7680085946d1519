// The worker agent protocol over HTTP (native, documented at /docs), authenticated per app
// with the app's ingest key, like the ingest API:
//   POST /agent/v1/claim                      {kind, workerId}            → {task | null, leaseMs}
//   POST /agent/v1/tasks/:taskId/heartbeat    {workerId}                  → {stop, leaseMs} | 409
//   POST /agent/v1/heartbeats                 {workerId, taskIds: [...]}  → {tasks: [{taskId, stop}], lost: [...], leaseMs}
//   POST /agent/v1/tasks/:taskId/reports      {workerId, reports: [...]}  → {applied, stop} | 400 | 409
//   POST /agent/v1/reports                    {workerId, tasks: [{taskId, reports: [...]}]}
//                                                                         → {applied, stop: [taskIds]} | 400 | 409
import type { FastifyInstance } from "fastify";
import { Type, type Static } from "@sinclair/typebox";
import { Ajv, type ValidateFunction } from "ajv";
import { ApiError } from "../../errors/api-error.ts";
import { InvalidBatchError, nativeErrors, type BadEvent } from "../../errors/native.ts";
import { boundaryViolation, describeViolation } from "../boundary.ts";
import type { Db } from "../../storage/db.ts";
import type { Clock } from "../../time/clock.ts";
import type { Tenancy } from "../../tenancy/tenancy.ts";
import { bearerApp } from "../native/auth.ts";
import { nativeErrorHandler } from "../native/render.ts";
import {
  claimTask,
  heartbeatMany,
  lockHeld,
  lockHeldMany,
  type AgentKind,
  type AgentTask,
  type MountedKind,
  type TaskReports,
} from "../../agent/tasks.ts";

const WorkerId = Type.String({ minLength: 1, maxLength: 128, description: "a stable id of the worker process" });
const Claim = Type.Object({ kind: Type.String({ maxLength: 64 }), workerId: WorkerId }, { additionalProperties: false });
const Heartbeat = Type.Object({ workerId: WorkerId }, { additionalProperties: false });
const Heartbeats = Type.Object(
  {
    workerId: WorkerId,
    taskIds: Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { minItems: 1, maxItems: 1000, uniqueItems: true }),
  },
  { additionalProperties: false },
);
const ReportList = Type.Array(
  Type.Object(
    {
      type: Type.String({ maxLength: 64 }),
      time: Type.Optional(Type.Integer({ minimum: 0, description: "when it happened, Unix ms (default: now)" })),
      data: Type.Optional(Type.Object({}, { additionalProperties: true })),
    },
    { additionalProperties: false },
  ),
  { minItems: 1, maxItems: 1000 },
);
const Reports = Type.Object({ workerId: WorkerId, reports: ReportList }, { additionalProperties: false });
/** At most this many reports in one batched request, over all its tasks. */
const MAX_BATCH_REPORTS = 10_000;
const ReportsMany = Type.Object(
  {
    workerId: WorkerId,
    tasks: Type.Array(
      Type.Object({ taskId: Type.String({ minLength: 1, maxLength: 128 }), reports: ReportList }, { additionalProperties: false }),
      { minItems: 1, maxItems: 1000, description: `each task at most once; at most ${MAX_BATCH_REPORTS} reports in all` },
    ),
  },
  { additionalProperties: false },
);
const TaskParams = Type.Object({ taskId: Type.String({ maxLength: 128 }) });

export interface AgentOptions {
  db: Db;
  clock: Clock;
  tenancy: Tenancy;
  kinds: ReadonlyMap<string, MountedKind>;
  leaseMs: number;
}

/** The report types of every kind and the schema of their `data`, for the OpenAPI page. */
function reportTypesDoc(kinds: ReadonlyMap<string, MountedKind>): string {
  const lines = ["Report types by task kind (`data` schema):"];
  for (const { kind: k } of kinds.values()) {
    for (const [type, schema] of Object.entries(k.reports)) lines.push(`- \`${k.kind}\` **${type}**: \`${JSON.stringify(schema)}\``);
  }
  return lines.join("\n");
}

const leaseLost = () =>
  new ApiError("LeaseLost", {
    message: "this worker does not hold the task's lease (expired, taken over, or the task is done)",
    httpStatus: 409,
  });

export async function agentRoutes(app: FastifyInstance, { db, clock, tenancy, kinds, leaseMs }: AgentOptions): Promise<void> {
  app.setErrorHandler(nativeErrorHandler);
  // The boundary rule (boundary.ts) on every body and path parameter, before the schema's own
  // checks (which coerce a number into a string field, hiding it) and, like them, before
  // authentication: a 400 naming the field.
  app.addHook("preValidation", async (req) => {
    const violation = boundaryViolation(req.params, "path") ?? boundaryViolation(req.body);
    if (violation) throw nativeErrors.badRequest(describeViolation(violation));
  });
  const ajv = new Ajv({ strict: false });
  const validators = new Map<string, ValidateFunction>();
  for (const { kind: k } of kinds.values())
    for (const [type, schema] of Object.entries(k.reports)) validators.set(`${k.kind}/${type}`, ajv.compile(schema));

  /** Why a report's type or data is refused for a task of this kind; null when it is fine. */
  const reportProblem = (kind: string, r: { type: string; data?: Record<string, unknown> }): string | null => {
    const validate = validators.get(`${kind}/${r.type}`);
    if (!validate) return `unknown report type '${r.type}' for kind '${kind}'`;
    if (validate(r.data ?? {})) return null;
    const e = validate.errors?.[0];
    return `data${e?.instancePath ?? ""} ${e?.message ?? "is invalid"}`;
  };

  const kindFor = (name: string, products: string[]): AgentKind => {
    const kind = kinds.get(name)?.kind;
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
      const owner = await bearerApp(req, tenancy);
      kindFor(req.body.kind, owner.products);
      const task = await claimTask(db, owner.appId, req.body.kind, req.body.workerId, leaseMs, clock.now());
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
      const owner = await bearerApp(req, tenancy);
      // The batch statement with one id: it returns only the stop flag (not the task's spec).
      const held = await heartbeatMany(db, owner.appId, [req.params.taskId], req.body.workerId, leaseMs);
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
      const owner = await bearerApp(req, tenancy);
      const held = await heartbeatMany(db, owner.appId, req.body.taskIds, req.body.workerId, leaseMs);
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
      const owner = await bearerApp(req, tenancy);
      return db.transaction(async (tx) => {
        const task = await lockHeld(tx, owner.appId, req.params.taskId, req.body.workerId);
        if (!task) throw leaseLost();
        const { kind, ctx } = kinds.get(task.kind)!;
        const bad: BadEvent[] = [];
        req.body.reports.forEach((r, index) => {
          const reason = reportProblem(task.kind, r);
          if (reason !== null) bad.push({ index, reason });
        });
        if (bad.length > 0) throw nativeErrors.invalidBatch(bad);
        for (const r of req.body.reports) {
          await kind.onReport(tx, task, { type: r.type, time: r.time ?? clock.now(), data: r.data ?? {} }, ctx);
        }
        return { applied: req.body.reports.length, stop: task.stopRequested };
      });
    },
  );

  app.post<{ Body: Static<typeof ReportsMany> }>(
    "/reports",
    {
      schema: {
        summary: "Report for several tasks this worker holds at once (one request for a worker running many)",
        description:
          "One transaction: every named task's lease is checked (409 LeaseLost if this worker does not hold one of them) " +
          "and every report validated (400 InvalidBatch naming `tasks[i].reports[j]`) before any is applied; then each " +
          "task's reports are applied in order, all or nothing, exactly as `POST /tasks/:taskId/reports` would apply them. " +
          "`stop` lists the tasks asked to stop.\n\n" +
          reportTypesDoc(kinds),
        security: [{ ingestKey: [] }],
        body: ReportsMany,
      },
    },
    async (req) => {
      const owner = await bearerApp(req, tenancy);
      const asked = req.body.tasks;
      const seen = new Map<string, number>();
      let total = 0;
      asked.forEach((t, i) => {
        const first = seen.get(t.taskId);
        if (first !== undefined) throw badReports([{ at: `tasks[${i}].taskId`, reason: `task '${t.taskId}' is already tasks[${first}]` }]);
        seen.set(t.taskId, i);
        total += t.reports.length;
      });
      if (total > MAX_BATCH_REPORTS)
        throw badReports([{ at: "tasks", reason: `${total} reports; at most ${MAX_BATCH_REPORTS} in one request` }]);
      return db.transaction(async (tx) => {
        // Agent task rows first (the lock order rule), in task id order.
        const held = new Map(
          (await lockHeldMany(tx, owner.appId, [...seen.keys()], req.body.workerId)).map((t): [string, AgentTask] => [t.taskId, t]),
        );
        const lost = asked.filter((t) => !held.has(t.taskId)).map((t) => t.taskId);
        if (lost.length > 0) {
          throw new ApiError("LeaseLost", {
            message: `this worker does not hold the lease of task(s) ${lost.slice(0, 10).join(", ")}${lost.length > 10 ? ", ..." : ""} (expired, taken over, or done); nothing was applied`,
            httpStatus: 409,
          });
        }
        const bad: BadReport[] = [];
        asked.forEach((t, i) =>
          t.reports.forEach((r, j) => {
            const reason = reportProblem(held.get(t.taskId)!.kind, r);
            if (reason !== null) bad.push({ at: `tasks[${i}].reports[${j}]`, reason });
          }),
        );
        if (bad.length > 0) throw badReports(bad);
        // Grouped by kind, each task's reports in order; tasks are independent of each other.
        const byKind = new Map<MountedKind, TaskReports[]>();
        for (const t of asked) {
          const task = held.get(t.taskId)!;
          const kind = kinds.get(task.kind)!;
          const reports = t.reports.map((r) => ({ type: r.type, time: r.time ?? clock.now(), data: r.data ?? {} }));
          const batch = byKind.get(kind) ?? [];
          batch.push({ task, reports });
          byKind.set(kind, batch);
        }
        for (const [{ kind, ctx }, batch] of byKind) {
          if (kind.onReports) await kind.onReports(tx, batch, ctx);
          else for (const { task, reports } of batch) for (const r of reports) await kind.onReport(tx, task, r, ctx);
        }
        return { applied: total, stop: asked.filter((t) => held.get(t.taskId)!.stopRequested).map((t) => t.taskId) };
      });
    },
  );
}

interface BadReport {
  /** e.g. "tasks[2].reports[0]" */
  at: string;
  reason: string;
}

/** 400 InvalidBatch naming the first bad report in the message and every one in `events`. */
function badReports(bad: BadReport[]): ApiError {
  const first = bad[0]!;
  const message = `${first.at}: ${first.reason}${bad.length > 1 ? ` (and ${bad.length - 1} more)` : ""}; nothing was applied`;
  return new InvalidBatchError(message, bad.slice(0, 1000));
}
