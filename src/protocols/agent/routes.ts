// The worker agent protocol over HTTP (native, documented at /docs), authenticated with a
// worker credential of the app (src/agent/worker-auth.ts says which refusal is which, and why):
//   POST /agent/v1/claim                    {kind, workerId}                → {task: {..., leaseToken} | null, leaseMs}
//   POST /agent/v1/tasks/:taskId/heartbeat  {workerId, leaseToken}          → {stop, leaseMs} | 409
//   POST /agent/v1/heartbeats               {workerId, tasks: [{taskId, leaseToken}]}
//                                                                           → {tasks: [{taskId, stop}], lost: [...], leaseMs}
//   POST /agent/v1/tasks/:taskId/reports    {workerId, leaseToken, reports} → {applied, stop} | 400 | 409
//   POST /agent/v1/reports                  {workerId, tasks: [{taskId, leaseToken, reports: [...]}]}
//                                                                           → {applied, stop: [taskIds]} | 400 | 409
import type { FastifyInstance } from "fastify";
import { Type, type Static } from "@sinclair/typebox";
import { Ajv, type ValidateFunction } from "ajv";
import { ApiError } from "../../errors/api-error.ts";
import { InvalidBatchError, nativeErrors, type BadEvent } from "../../errors/native.ts";
import { boundaryViolation, describeViolation } from "../boundary.ts";
import type { Db } from "../../storage/db.ts";
import type { Clock } from "../../time/clock.ts";
import type { Tenancy } from "../../tenancy/tenancy.ts";
import { nativeErrorHandler } from "../native/render.ts";
import { bearerWorker, checkKind } from "../../agent/worker-auth.ts";
import type { Worker } from "../../tenancy/worker-credentials.ts";
import {
  claimTask,
  heartbeatMany,
  lockHeld,
  lockHeldMany,
  type AgentKind,
  type AgentTask,
  type Holder,
  type Lease,
  type MountedKind,
  type TaskReports,
} from "../../agent/tasks.ts";

const WorkerId = Type.String({ minLength: 1, maxLength: 128, description: "a stable id of the worker process" });
const Claim = Type.Object({ kind: Type.String({ maxLength: 64 }), workerId: WorkerId }, { additionalProperties: false });
// Optional in the schema so that its absence is answered after authentication, as a lease not
// held (409), not as a 400 before it; every heartbeat and report needs it.
const LeaseToken = Type.Optional(
  Type.String({ minLength: 1, maxLength: 128, description: "required: the leaseToken of the claim that handed out this task" }),
);
const Heartbeat = Type.Object({ workerId: WorkerId, leaseToken: LeaseToken }, { additionalProperties: false });
const Heartbeats = Type.Object(
  {
    workerId: WorkerId,
    tasks: Type.Array(
      Type.Object({ taskId: Type.String({ minLength: 1, maxLength: 128 }), leaseToken: LeaseToken }, { additionalProperties: false }),
      { minItems: 1, maxItems: 1000, description: "each task at most once" },
    ),
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
const Reports = Type.Object({ workerId: WorkerId, leaseToken: LeaseToken, reports: ReportList }, { additionalProperties: false });
/** At most this many reports in one batched request, over all its tasks. */
const MAX_BATCH_REPORTS = 10_000;
const ReportsMany = Type.Object(
  {
    workerId: WorkerId,
    tasks: Type.Array(
      Type.Object(
        { taskId: Type.String({ minLength: 1, maxLength: 128 }), leaseToken: LeaseToken, reports: ReportList },
        { additionalProperties: false },
      ),
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

/**
 * The lease a request names. A missing token proves no lease: the task is not held (409
 * LeaseLost for one task, `lost` or 409 in a batch; src/agent/worker-auth.ts says why not 401).
 */
const leaseOf = (t: { taskId: string; leaseToken?: string }): Lease => ({ taskId: t.taskId, leaseToken: t.leaseToken ?? "" });

const holderOf = (worker: Worker, workerId: string): Holder => ({ workerId, credentialId: worker.credentialId });

const leaseLost = (tokenGiven = true) =>
  new ApiError("LeaseLost", {
    message: tokenGiven
      ? "this worker does not hold the task's lease (expired, taken over, the task is done, or not this lease's token)"
      : "no lease token: a heartbeat or report must carry the leaseToken of the claim that handed out the task",
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
  // Each report type's schema is compiled at its first report, not here: compiling them all
  // (and Ajv's own meta-schema) cost ~0.1 s of every start (issue 15's start-up target).
  let ajv: Ajv | null = null;
  const validators = new Map<string, ValidateFunction>();
  const validator = (kind: string, type: string): ValidateFunction | null => {
    const key = `${kind}/${type}`;
    const known = validators.get(key);
    if (known) return known;
    const reports = kinds.get(kind)?.kind.reports;
    if (!reports || !Object.hasOwn(reports, type)) return null;
    ajv ??= new Ajv({ strict: false });
    const compiled = ajv.compile(reports[type]!);
    validators.set(key, compiled);
    return compiled;
  };

  /** Why a report's type or data is refused for a task of this kind; null when it is fine. */
  const reportProblem = (kind: string, r: { type: string; data?: Record<string, unknown> }): string | null => {
    const validate = validator(kind, r.type);
    if (!validate) return `unknown report type '${r.type}' for kind '${kind}'`;
    if (validate(r.data ?? {})) return null;
    const e = validate.errors?.[0];
    return `data${e?.instancePath ?? ""} ${e?.message ?? "is invalid"}`;
  };

  const kindFor = (name: string, worker: Worker): AgentKind => {
    const kind = kinds.get(name)?.kind;
    if (!kind) throw new ApiError("UnknownKind", { message: `unknown task kind '${name.slice(0, 64)}'`, httpStatus: 400 });
    checkKind(worker, name);
    if (!worker.app.products.includes(kind.product)) {
      throw new ApiError("Forbidden", { message: `this app does not have product '${kind.product}'`, httpStatus: 403 });
    }
    return kind;
  };

  app.post<{ Body: Static<typeof Claim> }>(
    "/claim",
    {
      schema: {
        summary: "Claim the oldest waiting task of a kind, with a lease",
        description: "`task.leaseToken` is shown once: every heartbeat and report for the task must carry it.",
        security: [{ workerCredential: [] }],
        body: Claim,
      },
    },
    async (req) => {
      const worker = await bearerWorker(req, tenancy);
      kindFor(req.body.kind, worker);
      const task = await claimTask(db, worker.app.appId, req.body.kind, holderOf(worker, req.body.workerId), leaseMs, clock.now());
      return {
        task: task && {
          taskId: task.taskId,
          kind: task.kind,
          attempt: task.attempts,
          spec: task.spec,
          stop: task.stopRequested,
          leaseToken: task.leaseToken,
        },
        leaseMs,
      };
    },
  );

  app.post<{ Body: Static<typeof Heartbeat>; Params: Static<typeof TaskParams> }>(
    "/tasks/:taskId/heartbeat",
    {
      schema: {
        summary: "Extend the lease; the answer says whether to go on or stop",
        security: [{ workerCredential: [] }],
        body: Heartbeat,
        params: TaskParams,
      },
    },
    async (req) => {
      const worker = await bearerWorker(req, tenancy);
      if (req.body.leaseToken === undefined) throw leaseLost(false);
      // The batch statement with one id: it returns only the stop flag (not the task's spec).
      const held = await heartbeatMany(
        db,
        worker.app.appId,
        [leaseOf({ ...req.body, ...req.params })],
        holderOf(worker, req.body.workerId),
        leaseMs,
      );
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
        description:
          "Tasks the worker does not hold (lease expired, taken over, done, unknown, or named without their lease token or " +
          "with another lease's) are listed in `lost`.",
        security: [{ workerCredential: [] }],
        body: Heartbeats,
      },
    },
    async (req) => {
      const worker = await bearerWorker(req, tenancy);
      const seen = new Set<string>();
      req.body.tasks.forEach((t, i) => {
        if (seen.has(t.taskId)) throw nativeErrors.badRequest(`tasks[${i}].taskId: task '${t.taskId}' is named twice`);
        seen.add(t.taskId);
      });
      // An entry without a lease token holds nothing: it is listed in `lost` (leaseOf).
      const held = await heartbeatMany(db, worker.app.appId, req.body.tasks.map(leaseOf), holderOf(worker, req.body.workerId), leaseMs);
      return {
        tasks: [...held].map(([taskId, stop]) => ({ taskId, stop })),
        lost: req.body.tasks.map((t) => t.taskId).filter((id) => !held.has(id)),
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
        security: [{ workerCredential: [] }],
        body: Reports,
        params: TaskParams,
      },
    },
    async (req) => {
      const worker = await bearerWorker(req, tenancy);
      if (req.body.leaseToken === undefined) throw leaseLost(false);
      const lease = leaseOf({ taskId: req.params.taskId, leaseToken: req.body.leaseToken });
      return db.transaction(async (tx) => {
        const task = await lockHeld(tx, worker.app.appId, lease, holderOf(worker, req.body.workerId));
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
        security: [{ workerCredential: [] }],
        body: ReportsMany,
      },
    },
    async (req) => {
      const worker = await bearerWorker(req, tenancy);
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
      const leases = asked.map(leaseOf); // a task named without its token is not held: 409
      return db.transaction(async (tx) => {
        // Agent task rows first (the lock order rule), in task id order.
        const held = new Map(
          (await lockHeldMany(tx, worker.app.appId, leases, holderOf(worker, req.body.workerId))).map((t): [string, AgentTask] => [
            t.taskId,
            t,
          ]),
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
