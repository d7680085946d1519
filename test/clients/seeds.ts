// The four Tencent seed queries with data behind them, made through the public interfaces
// (the Node SDK and the ingest API, as the product tests do), and the calls whose documented
// errors the other clients must see. Each case carries the Node SDK's answer as reference.
import type { TestServer } from "../support/server.ts";
import { lcicApp, ingest as lcicIngest, eventFactory, serverNow } from "../lcic/lcic-support.ts";
import { pushUser, tiwApp, tiwClient } from "../tiw/helpers.ts";
import { fleet, trroClient } from "../trro/trro-support.ts";
import { gmeClient, recordingApp } from "../gme/gme-support.ts";
import { nodeOutcome, type Case, type Product } from "./tencent-support.ts";

export const LCIC: Product = { product: "lcic", version: "v20220817", action: "DescribeRoomStatistics" };
export const TIW: Product = { product: "tiw", version: "v20190919", action: "DescribeWhiteboardPush" };
export const TRRO: Product = { product: "trro", version: "v20220325", action: "DescribeDeviceSessionList" };
export const GME: Product = { product: "gme", version: "v20180711", action: "DescribeRecordInfo" };

const STATISTICS_DELAY_S = 3600;

type Call = (params: Record<string, unknown>) => Promise<Record<string, unknown>>;

async function cases(call: Call, specs: [name: string, params: Record<string, unknown>, expect: string][]): Promise<Case[]> {
  const out: Case[] = [];
  // One at a time: the Node SDK's rejections are awaited as they come.
  for (const [name, params, expect] of specs) out.push({ name, params, expect, node: await nodeOutcome(call(params)) });
  return out;
}

/**
 * LCIC in two steps, as statistics are: first a class just ended (statistics being computed),
 * one not ended and one missing; then, once the statistics are made, them and the parameter
 * errors.
 */
export async function lcicSeed(server: TestServer) {
  const app = await lcicApp(server);
  // Statistics an hour of domain time after the end, not 5 s: the first step's checks take
  // wall time (a tccli run is a second), and the domain clock moves with it.
  await server.admin("POST", "/lcic/settings", { appId: app.appId, statisticsDelaySeconds: STATISTICS_DELAY_S });
  const c = app.client;
  const call: Call = (p) => c.DescribeRoomStatistics(p as never) as never;
  const teacher = (await c.RegisterUser({ SdkAppId: app.sdkAppId, Name: "Teacher" })).UserId!;
  const student = (await c.RegisterUser({ SdkAppId: app.sdkAppId, Name: "Student" })).UserId!;
  const now = await serverNow(server);
  const base = now + 10;
  const room = (start: number) =>
    c
      .CreateRoom({
        SdkAppId: app.sdkAppId,
        Name: "Physics",
        StartTime: start,
        EndTime: start + 600,
        Resolution: 1,
        MaxMicNumber: 6,
        SubType: "videodoc",
        TeacherId: teacher,
        EndDelayTime: -1,
      })
      .then((r) => r.RoomId!);
  const ended = await room(base);
  const later = await room(base + 100_000);
  const ev = eventFactory(ended, `clients-${ended}`);
  await lcicIngest(server, app.ingestKey, [
    ev("lcic.member.joined", base, teacher, { Role: 1, Device: 2, IPAddress: "10.0.0.1", Location: "Shenzhen" }),
    ev("lcic.member.joined", base + 5, student, { Role: 0, Device: 5, IPAddress: "10.0.0.2", Location: "Beijing" }),
    ev("lcic.hand.raised", base + 30, student),
    ev("lcic.message.sent", base + 40, student, { Text: "你好" }),
    ev("lcic.member.quit", base + 300, student, { Reason: 0 }),
  ]);
  await server.advance(620);
  const before = await cases(call, [
    ["statistics being computed", { RoomId: ended, Page: 1, Limit: 10 }, "ResourceUnavailable.RoomStatistics"],
    ["a class not ended", { RoomId: later, Page: 1, Limit: 10 }, "FailedOperation.RoomNotEnd"],
    ["a room that does not exist", { RoomId: 7, Page: 1, Limit: 10 }, "ResourceNotFound.Room"],
  ]);
  return {
    before,
    async after(): Promise<Case[]> {
      await server.advance(STATISTICS_DELAY_S);
      return cases(call, [
        ["the statistics", { RoomId: ended, Page: 1, Limit: 10 }, "ok"],
        ["Page 0", { RoomId: ended, Page: 0, Limit: 10 }, "InvalidParameterValue"],
        ["Limit 1001", { RoomId: ended, Page: 1, Limit: 1001 }, "InvalidParameterValue"],
        ["no Limit", { RoomId: ended, Page: 1 }, "MissingParameter"],
      ]);
    },
  };
}

export async function tiwSeed(server: TestServer): Promise<Case[]> {
  const c = tiwClient(server);
  const app = await tiwApp(server);
  const lcicOnly = Number(await server.createApp(["lcic"]));
  const { TaskId } = await c.StartWhiteboardPush({ SdkAppId: app.appId, RoomId: 880528, PushUserId: pushUser(), PushUserSig: "sig" });
  const call: Call = (p) => c.DescribeWhiteboardPush(p as never) as never;
  return cases(call, [
    ["a push task", { SdkAppId: app.appId, TaskId }, "ok"],
    ["a task that does not exist", { SdkAppId: app.appId, TaskId: "ghucnligqtgtvk2624mb" }, "InvalidParameter.TaskNotFound"],
    ["an app without the whiteboard", { SdkAppId: lcicOnly, TaskId }, "ResourceUnavailable.NotRegistered"],
    ["an app that does not exist", { SdkAppId: 1999999999, TaskId }, "UnauthorizedOperation.SdkAppId"],
    ["SdkAppId of the wrong type", { SdkAppId: "abc", TaskId }, "InvalidParameter.BodyParameterTypeUnmatched"],
    ["no TaskId", { SdkAppId: app.appId }, "MissingParameter"],
  ]);
}

export async function trroSeed(server: TestServer): Promise<Case[]> {
  const c = trroClient(server);
  const { projectId, dev } = await fleet(
    server,
    c,
    [
      { id: "dev2", type: "field" },
      { id: "dev1", type: "remote" },
    ],
    "clients",
  );
  const sessionId = `${projectId}-50f7-4c60-9c89-e7076c8529a9-0`;
  await dev.dev2!.start(sessionId, "dev1", 1650000000_000, { width: 1920, height: 1080 });
  await dev.dev1!.start(sessionId, "dev2", 1650000000_400);
  for (let i = 1; i <= 5; i++) await dev.dev2!.metrics(sessionId, 1650000000_000 + i * 10_000);
  await dev.dev2!.end(sessionId, 1650000060_000);
  const seed = { ProjectId: projectId, DeviceId: "dev2", PageNumber: 1, PageSize: 10, StartTime: 0, EndTime: 1670000000 };
  const call: Call = (p) => c.DescribeDeviceSessionList(p as never) as never;
  return cases(call, [
    ["the seed's query", seed, "ok"],
    ["another's project", { ...seed, ProjectId: "abcdefg" }, "OperationDenied"],
    ["no PageSize", { ProjectId: projectId, PageNumber: 1 }, "MissingParameter"],
    ["PageSize 101", { ...seed, PageSize: 101 }, "InvalidParameterValue"],
    ["StartTime after EndTime", { ...seed, StartTime: 10, EndTime: 5 }, "InvalidParameterValue"],
    ["PageSize of the wrong type", { ...seed, PageSize: "ten" }, "InvalidParameter"],
  ]);
}

export async function gmeSeed(server: TestServer): Promise<Case[]> {
  const c = gmeClient(server);
  const { BizId, room } = await recordingApp(server);
  const closed = Number(await server.createApp(["gme"]));
  await room.enter("r1", "alice", "bob");
  const { TaskId } = await c.StartRecord({ BizId, RoomId: "r1", RecordMode: 1 });
  const call: Call = (p) => c.DescribeRecordInfo(p as never) as never;
  return cases(call, [
    ["a recording", { BizId, TaskId }, "ok"],
    ["an unknown BizId", { BizId: 999999999, TaskId }, "InvalidParameterValue.InvalidBizId"],
    ["a TaskId that cannot be ours", { BizId, TaskId: 5 }, "InvalidParameterValue.InvalidTaskId"],
    ["an unknown task", { BizId, TaskId: 1234567890123456 }, "ResourceNotFound.TaskNotFound"],
    ["recording not opened", { BizId: closed, TaskId: 1234567890123456 }, "UnsupportedOperation.ServiceNotOpened"],
    ["TaskId of the wrong type", { BizId, TaskId: "x1" }, "InvalidParameter"],
    ["no TaskId", { BizId }, "MissingParameter"],
  ]);
}
