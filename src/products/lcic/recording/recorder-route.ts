// The task view for class recorders (native; a worker credential for lcic-record, or the
// app's ingest key: agent/worker-auth.ts):
//   GET /lcic/v1/record-tasks/:taskId → the room, layout, state, when the recording began
//                                       and stopped (domain ms) and, with RecordStream 1,
//                                       whose single streams to keep
// A recorder reads it beside its heartbeats; the times let it (and the simulator) date its
// files on the server's clock, which a development server may have moved.
import { Type } from "@sinclair/typebox";
import { nativeErrors } from "../../../errors/native.ts";
import type { NativeRoute } from "../../../protocols/native/route.ts";
import type { ProductContext } from "../../../product-context.ts";
import { roomById } from "../rooms/rooms-store.ts";
import { getTask, singleStreamUsers } from "./record-store.ts";
import { RECORD_KIND } from "./record-lifecycle.ts";
import { recorderViewAuth } from "../../../agent/worker-auth.ts";

const Params = Type.Object({ taskId: Type.String({ pattern: "^[0-9a-f-]{36}$" }) });

export interface RecordTaskView {
  taskId: string;
  sdkAppId: number;
  roomId: number;
  /** recording → stopped (upload now) → done | lost */
  state: string;
  recordLayout: number;
  recordStream: number;
  beganAt: number | null;
  stoppedAt: number | null;
  /** The members whose own stream is recorded too (RecordStream 1), else []. */
  singleStreams: string[];
}

export function recorderRoute(ctx: ProductContext): NativeRoute {
  return {
    method: "GET",
    url: "/lcic/v1/record-tasks/:taskId",
    auth: recorderViewAuth(ctx.tenancy, RECORD_KIND),
    body: "none",
    schema: {
      summary: "LCIC recorder: a class recording task",
      security: [{ workerCredential: [] }, { ingestKey: [] }],
      params: Params,
    },
    async handler({ app: owner, params }): Promise<RecordTaskView> {
      const task = await getTask(ctx.db, owner.appId, String(params.taskId));
      if (!task) throw nativeErrors.notFound(`no recording task ${params.taskId}`);
      const room = await roomById(ctx.db, task.roomId);
      const singleStreams =
        task.recordStream === 1 && room ? await singleStreamUsers(ctx.db, owner.appId, task.roomId, room.config.TeacherId) : [];
      return {
        taskId: task.taskId,
        sdkAppId: Number(owner.appId),
        roomId: task.roomId,
        state: task.state,
        recordLayout: task.recordLayout,
        recordStream: task.recordStream,
        beganAt: task.beganAt,
        stoppedAt: task.stoppedAt,
        singleStreams,
      };
    },
  };
}
