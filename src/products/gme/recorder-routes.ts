// The task view for recorders (native; a worker credential for gme-record, or the app's
// ingest key: agent/worker-auth.ts):
//   GET /gme/v1/record-tasks/:taskId  → the room, mode, list, state, the streams begun,
//                                       `capture`: the streams to capture now, and `toBegin`:
//                                       those of them that have no entry yet
// A stream that began and is not in `capture` (its user stopped sending, left, was muted by
// ModifyUserMicStatus or filtered out by ModifyRecordInfo) must not be captured meanwhile.
// A recorder polls it beside its heartbeats to learn who sends audio now (the ingest
// events) and what ModifyRecordInfo changed; it then reports `stream.began` for those it
// starts. A media-server adapter that sees the streams itself may use it as a filter only.
import { Type } from "@sinclair/typebox";
import { nativeErrors } from "../../errors/native.ts";
import type { NativeRoute } from "../../protocols/native/route.ts";
import type { ProductContext } from "../../product-context.ts";
import { recordFileName, streamsToCapture } from "./recording.ts";
import { getTask } from "./task-store.ts";
import { speakers } from "./presence-store.ts";
import { streamsOf } from "./stream-store.ts";
import { RECORD_KIND } from "./task-lifecycle.ts";
import { recorderViewAuth } from "../../agent/worker-auth.ts";

const Params = Type.Object({ taskId: Type.String({ pattern: "^[0-9]{1,16}$" }) });

export interface RecordTaskView {
  taskId: number;
  bizId: string;
  roomId: string;
  recordMode: number;
  subscribeUserIds: string[] | null;
  unSubscribeUserIds: string[] | null;
  /** recording → stopped (transcode/upload now) → done | lost */
  state: string;
  streams: { userId: string; fileName: string; beginTime: number; status: number }[];
  capture: string[];
  toBegin: string[];
}

export function recorderRoute(ctx: ProductContext): NativeRoute {
  return {
    method: "GET",
    url: "/gme/v1/record-tasks/:taskId",
    auth: recorderViewAuth(ctx.tenancy, RECORD_KIND),
    body: "none",
    schema: {
      summary: "GME recorder: what a recording task wants captured now",
      security: [{ workerCredential: [] }, { ingestKey: [] }],
      params: Params,
    },
    async handler({ app: owner, params }): Promise<RecordTaskView> {
      const task = await getTask(ctx.db, owner.appId, Number(params.taskId));
      if (!task) throw nativeErrors.notFound(`no recording task ${params.taskId}`);
      const streams = await streamsOf(ctx.db, owner.appId, task.taskId);
      const capture =
        task.state === "recording" ? streamsToCapture(task.recordMode, task.filter, await speakers(ctx.db, owner.appId, task.roomId)) : [];
      const begun = new Set(streams.map((s) => s.userId));
      return {
        taskId: task.taskId,
        bizId: owner.appId,
        roomId: task.roomId,
        recordMode: task.recordMode,
        subscribeUserIds: task.filter.subscribe,
        unSubscribeUserIds: task.filter.unsubscribe,
        state: task.state,
        streams: streams.map((s) => ({
          userId: s.userId,
          fileName: recordFileName(owner.appId, task.roomId, task.taskId, s.userId),
          beginTime: s.beginAt,
          status: s.status,
        })),
        capture,
        toBegin: capture.filter((u) => !begun.has(u)),
      };
    },
  };
}
