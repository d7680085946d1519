// What the demo shows, read back through the official SDKs only: the class's
// DescribeRoomStatistics, the push's journey, the recording's RecordInfo, a device's
// session list and one user's QoS series summarised.
import { QOS_METRICS } from "../simulate/qos-model.ts";
import { gmeClient, huaweiClient, qosDetails } from "./clients.ts";
import type { Played, PushSnapshot } from "./play.ts";
import { CLASS_SECONDS, SHOWN_DEVICE, SHOWN_QOS_USER } from "./scenario.ts";
import type { Setup } from "./setup.ts";
import type { Target } from "./target.ts";

export interface DemoIds {
  sdkAppId: number;
  roomId: number;
  pushTaskId: string;
  bizId: number;
  gmeTaskId: number;
  projectId: string;
  deviceId: string;
  rtcAppId: string;
  qosUserId: string;
  /** The class's start and end, Unix seconds. */
  startTime: number;
  endTime: number;
}

export interface QosSummary {
  mid: string;
  points: number;
  min: number;
  median: number;
  max: number;
}

export interface DemoResult {
  ids: DemoIds;
  statistics: Record<string, unknown> & { MemberRecords: Record<string, any>[] };
  push: PushSnapshot[];
  recording: Record<string, unknown> & { RecordInfo: Record<string, any>[] };
  sessions: Record<string, unknown> & { DeviceSessionList: Record<string, any>[] };
  qos: { userName: string; series: QosSummary[] };
  counts: Played["counts"];
}

const iso = (s: number): string => `${new Date(s * 1000).toISOString().slice(0, 19)}Z`;

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** Strips the SDK's RequestId: it differs on every call. */
function wire<T extends Record<string, unknown>>(r: T): T {
  const { RequestId: _r, ...rest } = r as Record<string, unknown>;
  return rest as T;
}

async function roomStatistics(u: Setup): Promise<DemoResult["statistics"]> {
  // Statistics are computed by a job after the end: ResourceUnavailable.RoomStatistics until then.
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const records: Record<string, any>[] = [];
      let first: Record<string, unknown> | null = null;
      for (let page = 1; ; page++) {
        const r = (await u.lcic.DescribeRoomStatistics({ RoomId: u.roomId, Page: page, Limit: 100 })) as unknown as Record<string, any>;
        first ??= r;
        records.push(...(r.MemberRecords ?? []));
        if ((r.MemberRecords ?? []).length < 100) break;
      }
      return { ...wire(first!), MemberRecords: records };
    } catch (err) {
      if ((err as { code?: string }).code !== "ResourceUnavailable.RoomStatistics" || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function readResults(t: Target, u: Setup, p: Played): Promise<DemoResult> {
  const qosUserId = u.userIds.get(SHOWN_QOS_USER)!;
  const ids: DemoIds = {
    sdkAppId: u.sdkAppId,
    roomId: u.roomId,
    pushTaskId: p.pushTaskId,
    bizId: u.bizId,
    gmeTaskId: p.gmeTaskId,
    projectId: u.projectId,
    deviceId: SHOWN_DEVICE,
    rtcAppId: u.rtcAppId,
    qosUserId,
    startTime: u.startS,
    endTime: u.startS + CLASS_SECONDS,
  };
  const statistics = await roomStatistics(u);
  const recording = wire(
    (await gmeClient(t).DescribeRecordInfo({ TaskId: p.gmeTaskId, BizId: u.bizId })) as never,
  ) as DemoResult["recording"];
  const sessions = wire(
    (await u.trro.DescribeDeviceSessionList({
      ProjectId: u.projectId,
      DeviceId: SHOWN_DEVICE,
      PageNumber: 1,
      PageSize: 20,
      StartTime: u.startS - 60,
      EndTime: u.startS + CLASS_SECONDS + 60,
    })) as never,
  ) as DemoResult["sessions"];
  const details = await qosDetails(huaweiClient(t), {
    app_id: u.rtcAppId,
    room_id: String(u.roomId),
    user_id: qosUserId,
    mid: QOS_METRICS.join(","),
    start_time: iso(u.startS),
    end_time: iso(u.startS + CLASS_SECONDS - 1),
  });
  const series = (details.data ?? []).map((s) => {
    const values = s.data.map((d) => d.value);
    return { mid: s.mid, points: values.length, min: Math.min(...values), median: median(values), max: Math.max(...values) };
  });
  return { ids, statistics, push: p.pushJourney, recording, sessions, qos: { userName: SHOWN_QOS_USER, series }, counts: p.counts };
}
