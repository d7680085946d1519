// The callbacks of the recording and publishing tasks, in TRTC's format (trtc-callback.ts),
// sent to the project's ModifyCallbackUrl. EventInfo carries RoomId, EventTs (s), EventMsTs,
// UserId, TaskId and Payload, as TRTC's do; for TRRO the "room" is the project and the user
// the device (a TRRO device streams under its own id).
//
// Recording (EventGroupId 3, document 647/81113): 301 the recorder started (Payload
// {Status: 0}), 302 it stopped ({LeaveCode: 0}; 1 when it failed or its worker was lost:
// roomledger's reading, the document names no code for it), 310 the MP4 files ({Status: 0,
// FileList}), 305 the upload is complete ({Status: 0}).
//
// Publishing (document 647/88552): EventGroupId 4, EventType 401, one callback per
// publishing URL with Payload {Status, Url}: 1 publishing, 3 stopped, 4 failed. This is
// roomledger's reading of TRTC's relay status callback and has not been checked against
// the live document here: treat its codes as provisional (README).
import type { ProductContext } from "../../product-context.ts";
import type { Queryable } from "../../storage/db.ts";
import { enqueueTrtcCallback } from "../../callbacks/trtc-callback.ts";

export const RECORD_EVENTS = { recorderStart: 301, recorderStop: 302, uploadStop: 305, mp4Stop: 310 } as const;
export const PUBLISH_STATUS_EVENT = 401;
export const PUBLISH_STATUS = { publishing: 1, stopped: 3, failed: 4 } as const;

interface Event {
  appId: string;
  taskId: string;
  userId: string;
  at: number;
}

function eventInfo(e: Event, payload: Record<string, unknown>) {
  return { RoomId: e.appId, EventTs: Math.floor(e.at / 1000), EventMsTs: e.at, UserId: e.userId, TaskId: e.taskId, Payload: payload };
}

export async function recordCallback(
  ctx: Pick<ProductContext, "jobs">,
  tx: Queryable,
  e: Event,
  eventType: number,
  payload: Record<string, unknown>,
): Promise<void> {
  await enqueueTrtcCallback(ctx, tx, { appId: e.appId, product: "trro", eventGroupId: 3, eventType, eventInfo: eventInfo(e, payload) });
}

export async function publishCallbacks(
  ctx: Pick<ProductContext, "jobs">,
  tx: Queryable,
  e: Event,
  urls: string[],
  status: number,
): Promise<void> {
  for (const url of urls) {
    await enqueueTrtcCallback(ctx, tx, {
      appId: e.appId,
      product: "trro",
      eventGroupId: 4,
      eventType: PUBLISH_STATUS_EVENT,
      eventInfo: eventInfo(e, { Status: status, Url: url }),
    });
  }
}
