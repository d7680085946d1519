// The LCIC data the parity cases read: a school (app) with a teacher, an assistant and three
// students in a class group, and two classes with everything a class records (entries with
// device, IP and location, mic, hands, answers, rewards, chat, a kick): one still live, one
// ended with its statistics computed. Built once per server (the cases of a service share
// one), through ctx.call so every request is checked against the model too.
import type { TestServer } from "../../support/server.ts";
import { eventFactory, ingest, lcicApp, serverNow } from "../../lcic/lcic-support.ts";
import type { ParityContext } from "../case.ts";

export interface LcicClass {
  sdkAppId: number;
  ingestKey: string;
  teacher: string;
  assistant: string;
  students: string[];
  groupId: string;
  /** Started, members in, messages sent; ends in an hour. */
  liveRoom: number;
  /** Ended, statistics ready. */
  endedRoom: number;
}

const built = new WeakMap<TestServer, Promise<LcicClass>>();

/** The shared class of this server (built on first use). */
export function lcicClass(ctx: ParityContext): Promise<LcicClass> {
  let p = built.get(ctx.server);
  if (!p) {
    p = build(ctx);
    built.set(ctx.server, p);
  }
  return p;
}

/** The room fields a school sets, all of them optional in CreateRoom. */
export const roomOptions = (teacher: string, assistant: string, groupId: string) => ({
  TeacherId: teacher,
  Assistants: [assistant],
  GroupId: groupId,
  AutoMic: 1,
  TurnOffMic: 0,
  AudioQuality: 1,
  DisableRecord: 0,
  RecordLayout: 1,
  EnableDirectControl: 1,
  InteractionMode: 0,
  VideoOrientation: 0,
  IsGradingRequiredPostClass: 1,
  RoomType: 0,
  EndDelayTime: -1,
  LiveType: 0,
});

async function build(ctx: ParityContext): Promise<LcicClass> {
  const { server } = ctx;
  const app = await lcicApp(server);
  const sdkAppId = app.sdkAppId;
  const reg = (Name: string, OriginId: string) =>
    ctx.call("RegisterUser", { SdkAppId: sdkAppId, Name, OriginId, Avatar: `https://school.example/${OriginId}.png` });
  const teacher = (await reg("Ms Teacher", "t-1")).UserId as string;
  const assistant = (await reg("Mr Assistant", "a-1")).UserId as string;
  const batch = await ctx.call("BatchRegister", {
    Users: ["Ann", "Bob", "Cid"].map((Name, i) => ({
      SdkAppId: sdkAppId,
      Name,
      OriginId: `s-${i}`,
      Avatar: `https://school.example/s-${i}.png`,
    })),
  });
  const students = (batch.Users as { UserId: string }[]).map((u) => u.UserId);
  const groupId = (
    await ctx.call("CreateGroupWithMembers", { GroupName: "Class 3", SdkAppId: sdkAppId, TeacherId: teacher, MemberIds: students })
  ).GroupId as string;

  const room = async (start: number, end: number) =>
    (
      await ctx.call("CreateRoom", {
        SdkAppId: sdkAppId,
        Name: "Algebra",
        StartTime: start,
        EndTime: end,
        Resolution: 2,
        MaxMicNumber: 6,
        SubType: "videodoc",
        ...roomOptions(teacher, assistant, groupId),
      })
    ).RoomId as number;

  // A class reported as the client app would: everyone in, mic, hands, answers, chat, a kick.
  const play = async (roomId: number, at: number) => {
    const ev = eventFactory(roomId, `p${roomId}`);
    const [s0, s1, s2] = students as [string, string, string];
    await ingest(server, app.ingestKey, [
      ev("lcic.member.joined", at, teacher, { Role: 1, Device: 2, IPAddress: "10.0.0.1", Location: "Shenzhen" }),
      ev("lcic.member.joined", at, assistant, { Role: 2, Device: 5, IPAddress: "10.0.0.2", Location: "Shenzhen" }),
      ...students.map((s, i) =>
        ev("lcic.member.joined", at + 1, s, { Role: 0, Device: 3 + i, IPAddress: `10.0.1.${i}`, Location: "Beijing" }),
      ),
      ev("lcic.mic.on", at + 2, teacher),
      ev("lcic.camera.on", at + 2, s0),
      ev("lcic.mic.on", at + 2, s0),
      ev("lcic.stage.up", at + 2, s0),
      ev("lcic.hand.raised", at + 3, s0),
      ev("lcic.question.answered", at + 3, s0),
      ev("lcic.reward.given", at + 3, s0),
      ev("lcic.member.muted", at + 3, s1),
      ev("lcic.message.sent", at + 4, s0, { Text: "x = 2?" }),
      ev("lcic.message.sent", at + 4, teacher, { Custom: { Data: "quiz", Desc: "a quiz", Ext: "{}" } }),
      ev("lcic.message.sent", at + 4, s1, { ImageUrl: "https://school.example/board.png" }),
      ev("lcic.member.quit", at + 5, s2, { Reason: 0 }),
    ]);
    await ctx.call("SendRoomNormalMessage", {
      SdkAppId: sdkAppId,
      RoomId: roomId,
      FromAccount: teacher,
      MsgBody: [{ MsgType: "TIMTextElem", TextMsgContent: { Text: "Page 42" } }],
      NickName: "Ms Teacher",
      CloudCustomData: "{}",
    });
    await ctx.call("KickUserFromRoom", { RoomId: roomId, SdkAppId: sdkAppId, UserId: s2, KickType: 1, Duration: 60 });
  };

  // The ended class first: it moves the clock past its end.
  let now = await serverNow(server);
  const endedRoom = await room(now + 5, now + 65);
  await ctx.call("StartRoom", { RoomId: endedRoom });
  await play(endedRoom, now + 1);
  await server.advance(66);
  await server.advance(5); // the statistics job runs after the end
  now = await serverNow(server);
  const liveRoom = await room(now + 5, now + 3600);
  await ctx.call("StartRoom", { RoomId: liveRoom });
  await play(liveRoom, now + 1);
  await server.advance(10); // its events are now in the past
  return { sdkAppId, ingestKey: app.ingestKey, teacher, assistant, students, groupId, liveRoom, endedRoom };
}
