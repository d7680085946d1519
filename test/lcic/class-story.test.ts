// A full class through the official SDK and the ingest API: a school registers a teacher,
// an assistant and 32 students, binds the class group to a room; 30 students come (some
// late, one drops and comes back, one drops for good, one leaves, one is kicked in the
// client, one kicked for good and one kicked for a minute through the API), hands go up,
// questions are answered, rewards given, chat flows; the room ends on schedule and
// DescribeRoomStatistics is asserted field by field, page by page. Events are delivered
// shuffled and twice; a late event within the grace period changes the statistics, one
// after it does not.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { sdkError } from "../support/tencent.ts";
import { eventFactory, ingest, lcicApp, serverNow, type Ev, type LcicApp } from "./lcic-support.ts";

type Rec = Record<string, unknown>;

function shuffled<T>(xs: T[], seed = 7): T[] {
  const out = [...xs];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

for (const backend of backends()) {
  describe(`LCIC class story (${backend})`, () => {
    let server: TestServer;
    let app: LcicApp;
    before(async () => {
      server = await startServer({ backend, args: ["--rate-limit", "10000"] });
      app = await lcicApp(server);
    });
    after(() => server.stop());

    test("30 students, a class, its statistics", async () => {
      const c = app.client;
      const sdkAppId = app.sdkAppId;
      const teacher = (await c.RegisterUser({ SdkAppId: sdkAppId, Name: "Teacher" })).UserId!;
      const assistant = (await c.RegisterUser({ SdkAppId: sdkAppId, Name: "Assistant" })).UserId!;
      const names = Array.from({ length: 32 }, (_, i) => `Student ${String(i).padStart(2, "0")}`);
      const S = (await c.BatchRegister({ Users: names.map((Name) => ({ SdkAppId: sdkAppId, Name })) })).Users!.map((u) => u.UserId!);
      const group = (await c.CreateGroupWithMembers({ GroupName: "Class 3", SdkAppId: sdkAppId, TeacherId: teacher, MemberIds: S }))
        .GroupId!;

      const now0 = await serverNow(server);
      const base = now0 + 10;
      const end = base + 2700;
      const roomId = (
        await c.CreateRoom({
          SdkAppId: sdkAppId,
          Name: "Algebra",
          StartTime: base,
          EndTime: end,
          Resolution: 2,
          MaxMicNumber: 6,
          SubType: "videodoc",
          TeacherId: teacher,
          Assistants: [assistant],
          GroupId: group,
          EndDelayTime: -1,
        })
      ).RoomId!;
      const ev = eventFactory(roomId, `r${roomId}`);
      const at = (t: number) => base + t;
      const join = (t: number, u: string, extra: Rec = {}) => ev("lcic.member.joined", at(t), u, extra);

      // ---- The class, as the client app reports it (times relative to the start). ----
      const all: Ev[] = [
        join(0, teacher, { Role: 1, Device: 2, IPAddress: "10.0.0.1", Location: "Shenzhen" }),
        join(5, assistant, { Role: 2, Device: 5, IPAddress: "10.0.0.2", Location: "Shenzhen" }),
        ev("lcic.mic.on", at(0), teacher),
        ev("lcic.screen.on", at(30), teacher),
        ev("lcic.screen.off", at(90), teacher),
        ev("lcic.message.sent", at(140), teacher, { Text: "Welcome" }),
      ];
      for (let i = 0; i < 20; i++) all.push(join(3 * i - 30, S[i]!, { Role: 0, Device: 5, IPAddress: `10.0.1.${i}`, Location: "Beijing" }));
      for (let i = 20; i < 25; i++) all.push(join(600 + (i - 20) * 60, S[i]!, { Device: 3, IPAddress: `10.0.1.${i}`, Location: "Wuhan" })); // late joiners
      for (let i = 25; i < 30; i++) all.push(join(10, S[i]!, { Device: 7, IPAddress: `10.0.1.${i}`, Location: "Xi'an" }));
      // S01 drops and comes back on another device; S02 drops for good; S03 leaves; S04 is kicked in the client.
      all.push(
        ev("lcic.member.heartbeat_lost", at(300), S[1]!),
        join(420, S[1]!, { Device: 4, IPAddress: "10.1.0.1", Location: "Hangzhou" }),
      );
      all.push(ev("lcic.member.heartbeat_lost", at(1000), S[2]!));
      all.push(ev("lcic.member.quit", at(1200), S[3]!, { Reason: 0 }));
      all.push(ev("lcic.member.quit", at(900), S[4]!, { Reason: 1 }));
      // S05: the star student.
      all.push(
        ev("lcic.camera.on", at(50), S[5]!),
        ev("lcic.camera.off", at(500), S[5]!),
        ev("lcic.mic.on", at(60), S[5]!),
        ev("lcic.mic.off", at(400), S[5]!),
        ev("lcic.mic.on", at(800), S[5]!),
        ev("lcic.stage.up", at(60), S[5]!),
        ev("lcic.stage.down", at(400), S[5]!),
        ev("lcic.hand.raised", at(100), S[5]!),
        ev("lcic.hand.raised", at(200), S[5]!),
        ev("lcic.hand.raised", at(300), S[5]!),
        ev("lcic.question.answered", at(210), S[5]!),
        ev("lcic.question.answered", at(310), S[5]!),
        ev("lcic.reward.given", at(320), S[5]!),
        ev("lcic.message.sent", at(110), S[5]!, { Text: "Hello" }),
        ev("lcic.message.sent", at(120), S[5]!, { Text: "x = 2?" }),
      );
      all.push(
        ev("lcic.hand.raised", at(150), S[6]!),
        ev("lcic.mic.on", at(100), S[6]!),
        ev("lcic.message.sent", at(130), S[6]!, { Text: "Me too" }),
      );
      all.push(
        ev("lcic.question.answered", at(220), S[7]!),
        ev("lcic.reward.given", at(200), S[7]!),
        ev("lcic.reward.given", at(1300), S[7]!),
      );
      all.push(ev("lcic.member.muted", at(700), S[8]!), ev("lcic.member.unmuted", at(800), S[8]!));
      all.push(join(1500, S[28]!, { Device: 7, IPAddress: "10.0.1.28", Location: "Xi'an" })); // back after the unblock

      // ---- First half: up to 1090 s. Delivered shuffled, in 3 batches, then all again (retries). ----
      await server.advance(1100);
      const firstHalf = shuffled(all.filter((e) => e.ctime <= at(1090) * 1000));
      const third = Math.ceil(firstHalf.length / 3);
      for (let i = 0; i < firstHalf.length; i += third) await ingest(server, app.ingestKey, firstHalf.slice(i, i + third));
      await ingest(server, app.ingestKey, shuffled(firstHalf, 99));
      assert.equal((await c.DescribeRoom({ RoomId: roomId })).Status, 1);

      // Mid-class: who is in the room (S02 dropped, S04 kicked).
      const online = [teacher, assistant, ...S.slice(0, 30)].filter((u) => u !== S[2] && u !== S[4]).sort();
      const seen: string[] = [];
      for (let page = 1; page <= 5; page++) {
        const res = await c.DescribeCurrentMemberList({ RoomId: roomId, Page: page, Limit: 7 });
        assert.equal(res.Total, 30);
        seen.push(...res.MemberRecords!.map((r) => r.UserId!));
        for (const r of res.MemberRecords!) assert.equal(r.CurrentState, 1);
      }
      assert.deepEqual(seen, online);
      const s05Live = (await c.DescribeCurrentMemberList({ RoomId: roomId, Page: 1, Limit: 1000 })).MemberRecords!.find(
        (r) => r.UserId === S[5],
      )!;
      assert.deepEqual([s05Live.HandUps, s05Live.PerMemberMicCount, s05Live.Camera, s05Live.PerMemberMessageCount], [3, 2, 1, 2]);
      assert.equal((await sdkError(c.DescribeRoomStatistics({ RoomId: roomId, Page: 1, Limit: 10 }))).code, "FailedOperation.RoomNotEnd");

      // The teacher kicks S29 for good and S28 for a minute (then lifts it), through the API.
      await c.KickUserFromRoom({ RoomId: roomId, SdkAppId: sdkAppId, UserId: S[29]!, KickType: 2, Duration: 0 });
      await c.KickUserFromRoom({ RoomId: roomId, SdkAppId: sdkAppId, UserId: S[28]!, KickType: 1, Duration: 60 });
      await c.UnblockKickedUser({ RoomId: roomId, SdkAppId: sdkAppId, UserId: S[28]! });
      assert.equal(
        (await sdkError(c.UnblockKickedUser({ RoomId: roomId, SdkAppId: sdkAppId, UserId: S[27]! }))).code,
        "ResourceNotFound.User",
      );
      assert.equal((await c.DescribeCurrentMemberList({ RoomId: roomId, Page: 1, Limit: 100 })).Total, 28);
      await c.SendRoomNormalMessage({
        SdkAppId: sdkAppId,
        RoomId: roomId,
        FromAccount: teacher,
        MsgBody: [{ MsgType: "TIMTextElem", TextMsgContent: { Text: "Page 42" } }],
      });

      // ---- Second half, then the scheduled end at EndTime (EndDelayTime -1). ----
      await server.advance(1000);
      await ingest(server, app.ingestKey, shuffled(all.filter((e) => e.ctime > at(1090) * 1000)));
      await server.advance(700);
      assert.equal((await c.DescribeRoom({ RoomId: roomId })).Status, 2);
      assert.equal(
        (await sdkError(c.DescribeRoomStatistics({ RoomId: roomId, Page: 1, Limit: 10 }))).code,
        "ResourceUnavailable.RoomStatistics",
      );
      await server.advance(5);

      // The kicks' times, as GetRoomEvent tells them.
      const quits = (await c.GetRoomEvent({ RoomId: roomId, SdkAppId: sdkAppId, Page: 1, Limit: 100, Keyword: "MemberQuit" })).Events!;
      const quitOf = (u: string, reason: number) =>
        quits.find((e) => e.EventData!.UserId === u && e.EventData!.Reason === reason)!.Timestamp!;
      const k29 = quitOf(S[29]!, 2);
      const k28 = quitOf(S[28]!, 1);
      assert.ok(k29 >= at(1090) && k29 < at(1300));

      // ---- The expected statistics. ----
      const record = (u: string, name: string, over: Rec): Rec => ({
        UserId: u,
        UserName: name,
        PresentTime: 0,
        Camera: 0,
        Mic: 0,
        Silence: 0,
        AnswerQuestions: 0,
        HandUps: 0,
        FirstJoinTimestamp: 0,
        LastQuitTimestamp: 0,
        Rewords: 0,
        IPAddress: "",
        Location: "",
        Device: 0,
        PerMemberMicCount: 0,
        PerMemberMessageCount: 0,
        Role: 0,
        GroupId: group,
        SubGroupId: null,
        Stage: 0,
        CurrentState: 0,
        ...over,
      });
      const student = (i: number, joinT: number, over: Rec = {}): Rec =>
        record(S[i]!, names[i]!, {
          PresentTime: end - Math.max(at(joinT), base),
          FirstJoinTimestamp: at(joinT),
          LastQuitTimestamp: end,
          IPAddress: `10.0.1.${i}`,
          Location: i < 20 ? "Beijing" : i < 25 ? "Wuhan" : "Xi'an",
          Device: i < 20 ? 5 : i < 25 ? 3 : 7,
          CurrentState: 2,
          ...over,
        });
      const expected: Rec[] = [
        record(teacher, "Teacher", {
          GroupId: "",
          Role: 1,
          PresentTime: 2700,
          FirstJoinTimestamp: base,
          LastQuitTimestamp: end,
          IPAddress: "10.0.0.1",
          Location: "Shenzhen",
          Device: 2,
          Mic: 1,
          PerMemberMicCount: 1,
          PerMemberMessageCount: 2,
          CurrentState: 2,
        }),
        record(assistant, "Assistant", {
          GroupId: "",
          Role: 2,
          PresentTime: 2695,
          FirstJoinTimestamp: at(5),
          LastQuitTimestamp: end,
          IPAddress: "10.0.0.2",
          Location: "Shenzhen",
          Device: 5,
          CurrentState: 2,
        }),
      ];
      for (let i = 0; i < 20; i++) expected.push(student(i, 3 * i - 30));
      for (let i = 20; i < 25; i++) expected.push(student(i, 600 + (i - 20) * 60));
      for (let i = 25; i < 30; i++) expected.push(student(i, 10));
      expected.push(record(S[30]!, names[30]!, {}), record(S[31]!, names[31]!, {}));
      const patch = (u: string, over: Rec) => Object.assign(expected.find((r) => r.UserId === u)!, over);
      patch(S[1]!, { PresentTime: 300 + (2700 - 420), Device: 4, IPAddress: "10.1.0.1", Location: "Hangzhou" });
      patch(S[2]!, { PresentTime: 1000, LastQuitTimestamp: at(1000), CurrentState: 5 });
      patch(S[3]!, { PresentTime: 1200, LastQuitTimestamp: at(1200), CurrentState: 2 });
      patch(S[4]!, { PresentTime: 900, LastQuitTimestamp: at(900), CurrentState: 3 });
      patch(S[5]!, {
        Camera: 1,
        Mic: 1,
        PerMemberMicCount: 2,
        Stage: 1,
        HandUps: 3,
        AnswerQuestions: 2,
        Rewords: 1,
        PerMemberMessageCount: 2,
      });
      patch(S[6]!, { HandUps: 1, Mic: 1, PerMemberMicCount: 1, PerMemberMessageCount: 1 });
      patch(S[7]!, { AnswerQuestions: 1, Rewords: 2 });
      patch(S[8]!, { Silence: 1 });
      patch(S[28]!, { PresentTime: k28 - at(10) + (2700 - 1500) });
      patch(S[29]!, { PresentTime: k29 - at(10), LastQuitTimestamp: k29, CurrentState: 4 });
      expected.sort((a, b) => ((a.UserId as string) < (b.UserId as string) ? -1 : 1));

      const summary = {
        PeakMemberNumber: 32,
        MemberNumber: 32,
        Total: 34,
        RealStartTime: base,
        RealEndTime: end,
        MessageCount: 5,
        MicCount: 2,
      };
      const readAll = async (limit: number) => {
        const out: Rec[] = [];
        for (let page = 1; ; page++) {
          const res = await c.DescribeRoomStatistics({ RoomId: roomId, Page: page, Limit: limit });
          const { MemberRecords, RequestId, ...rest } = res;
          assert.ok(RequestId);
          assert.deepEqual(rest, summary);
          assert.deepEqual(MemberRecords, expected.slice((page - 1) * limit, page * limit), `page ${page}`);
          if (MemberRecords!.length === 0) return out;
          out.push(...(MemberRecords as Rec[]));
        }
      };
      assert.deepEqual(await readAll(10), expected);
      assert.deepEqual(await readAll(1000), expected);
      assert.deepEqual(Object.keys(expected[0]!), [
        "UserId",
        "UserName",
        "PresentTime",
        "Camera",
        "Mic",
        "Silence",
        "AnswerQuestions",
        "HandUps",
        "FirstJoinTimestamp",
        "LastQuitTimestamp",
        "Rewords",
        "IPAddress",
        "Location",
        "Device",
        "PerMemberMicCount",
        "PerMemberMessageCount",
        "Role",
        "GroupId",
        "SubGroupId",
        "Stage",
        "CurrentState",
      ]);
      const raw = await c.DescribeRoomStatistics({ RoomId: roomId, Page: 1, Limit: 1 });
      assert.deepEqual(Object.keys(raw.MemberRecords![0]!), Object.keys(expected[0]!), "the wire order of MemberRecord fields");
      assert.equal((await sdkError(c.DescribeRoomStatistics({ RoomId: roomId, Page: 0, Limit: 10 }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(c.DescribeRoomStatistics({ RoomId: roomId, Page: 1, Limit: 1001 }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(c.DescribeRoomStatistics({ RoomId: roomId, Page: 1 } as never))).code, "MissingParameter");
      assert.equal((await sdkError(c.DescribeRoomStatistics({ RoomId: 7, Page: 1, Limit: 1 }))).code, "ResourceNotFound.Room");

      // ---- History. ----
      const events = await c.GetRoomEvent({ RoomId: roomId, SdkAppId: sdkAppId, Page: 1, Limit: 100 });
      // Online at the end, quit with reason 5: teacher, assistant, and the students but S02
      // (dropped), S03 (left), S04 and S29 (kicked); S01 and S28 came back.
      const reason5 = quits
        .filter((e) => e.EventData!.Reason === 5)
        .map((e) => e.EventData!.UserId)
        .sort();
      assert.deepEqual(reason5, [teacher, assistant, ...S.slice(0, 30)].filter((u) => ![S[2], S[3], S[4], S[29]].includes(u)).sort());
      assert.ok(quits.filter((e) => e.EventData!.Reason === 5).every((e) => e.Timestamp === end));
      // 2 room events; 34 joins (32 + 2 comebacks); 6 quits (2 drops, a leave, 3 kicks) + 28 at the end;
      // camera on/off, screen on/off; 5 mic events.
      assert.equal(events.Total, 2 + 34 + 6 + 28 + 4 + 5);
      const pages: unknown[] = [];
      for (let p = 1; p <= Math.ceil(events.Total! / 25); p++) {
        pages.push(...(await c.GetRoomEvent({ RoomId: roomId, SdkAppId: sdkAppId, Page: p, Limit: 25 })).Events!);
      }
      assert.equal(pages.length, events.Total);
      assert.deepEqual(pages.slice(0, 100), events.Events);
      const first = events.Events![0]!;
      assert.equal(first.EventType, "MemberJoin"); // S00 in the waiting room at -30 s
      assert.deepEqual(first.EventData, { RoomId: roomId, UserId: S[0], Device: 5, Role: 0 });
      const drop = quits.find((e) => e.EventData!.UserId === S[1])!;
      assert.deepEqual(drop, { Timestamp: at(300), EventType: "MemberQuit", EventData: { RoomId: roomId, UserId: S[1], Reason: 4 } });
      const ends = (await c.GetRoomEvent({ RoomId: roomId, SdkAppId: sdkAppId, Page: 1, Limit: 1, Keyword: "RoomEnd" })).Events!;
      assert.deepEqual(ends, [{ Timestamp: end, EventType: "RoomEnd", EventData: { RoomId: roomId } }]);
      assert.equal(
        (await c.GetRoomEvent({ RoomId: roomId, SdkAppId: sdkAppId, Page: 1, Limit: 100, Keyword: "CameraOn" })).Events!.length,
        1,
      );
      assert.equal(
        (await sdkError(c.GetRoomEvent({ RoomId: roomId, SdkAppId: sdkAppId, Page: 1, Limit: 101 }))).code,
        "InvalidParameterValue",
      );

      const m1 = await c.GetRoomMessage({ SdkAppId: sdkAppId, RoomId: roomId, Limit: 2 });
      assert.deepEqual(
        m1.Messages!.map((m) => m.Seq),
        [4, 5],
      );
      assert.deepEqual(m1.Messages![1], {
        Timestamp: m1.Messages![1]!.Timestamp,
        FromAccount: teacher,
        Seq: 5,
        MessageBody: [{ MessageType: 0, TextMessage: "Page 42", ImageMessage: "", CustomMessage: { Data: "", Desc: "", Ext: "" } }],
      });
      const m2 = await c.GetRoomMessage({ SdkAppId: sdkAppId, RoomId: roomId, Limit: 2, Seq: 4 });
      assert.deepEqual(
        m2.Messages!.map((m) => m.Seq),
        [2, 3],
      );
      const m3 = await c.GetRoomMessage({ SdkAppId: sdkAppId, RoomId: roomId, Limit: 2, Seq: 2 });
      assert.deepEqual(
        m3.Messages!.map((m) => m.Seq),
        [1],
      );
      const texts = [...m3.Messages!, ...m2.Messages!, ...m1.Messages!].map((m) => m.MessageBody![0]!.TextMessage);
      assert.equal(new Set(texts).size, 5);
      const fromS05 = await c.GetRoomMessage({ SdkAppId: sdkAppId, RoomId: roomId, UserId: S[5]! });
      assert.deepEqual(fromS05.Messages!.map((m) => m.MessageBody![0]!.TextMessage).sort(), ["Hello", "x = 2?"]);

      // ---- A late event within the grace period: the statistics are computed again. ----
      // (An event dated after the end, S11's hand, arrives too: it does not count.)
      await ingest(server, app.ingestKey, [ev("lcic.hand.raised", at(2000), S[9]!), ev("lcic.hand.raised", at(2750), S[11]!)]);
      assert.equal(
        (await sdkError(c.DescribeRoomStatistics({ RoomId: roomId, Page: 1, Limit: 10 }))).code,
        "ResourceUnavailable.RoomStatistics",
      );
      await server.advance(5);
      patch(S[9]!, { HandUps: 1 });
      assert.deepEqual(await readAll(1000), expected);

      // ---- After the grace period (set to 60 s), late events no longer change the room. ----
      await server.admin("POST", "/lcic/settings", { appId: app.appId, statisticsGraceSeconds: 60 });
      await server.advance(120);
      await ingest(server, app.ingestKey, [ev("lcic.hand.raised", at(2100), S[10]!)]);
      assert.deepEqual(await readAll(1000), expected);
    });
  });
}
