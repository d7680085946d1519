// TRRO sessions end to end: devices report over their own endpoint, the official SDK reads
// the session list, details and statistics. Both backends.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { sdkError } from "../support/tencent.ts";
import { badMetrics, domainNow, fleet, trroClient, type TrroClient } from "./trro-support.ts";

const s = (ms: number) => Math.floor(ms / 1000);

for (const backend of backends()) {
  describe(`TRRO sessions (${backend})`, () => {
    let server: TestServer;
    let client: TrroClient;
    before(async () => {
      // The paging test calls one action faster than the 20/s limit (and the limit is the
      // platform's, tested there).
      server = await startServer({ backend, args: ["--rate-limit", "0"] });
      client = trroClient(server);
    });
    after(() => server.stop());

    test("the seed's request, numbers as strings, and its answer", async () => {
      // The seed's example has "dev2" on both sides, which one project cannot hold (device ids
      // are unique in a project, and a session joins a field and a remote device): the remote
      // side is "dev1" here; every other field is the seed's.
      const { projectId, dev } = await fleet(server, client, [
        { id: "dev2", type: "field" },
        { id: "dev1", type: "remote" },
      ]);
      const sessionId = `${projectId}-50f7-4c60-9c89-e7076c8529a9-0`;
      await dev.dev2!.start(sessionId, "dev1", 1650000000_000, { width: 1920, height: 1080 });
      await dev.dev1!.start(sessionId, "dev2", 1650000000_400);
      for (let i = 1; i <= 5; i++) await dev.dev2!.metrics(sessionId, 1650000000_000 + i * 10_000);
      await dev.dev2!.end(sessionId, 1650000060_000);

      const res = await client.DescribeDeviceSessionList({
        PageNumber: "1",
        PageSize: "10",
        ProjectId: projectId,
        DeviceId: "dev2",
        StartTime: "0",
        EndTime: "1670000000",
      } as never);
      assert.match(res.RequestId!, /^[0-9a-f-]{36}$/);
      const { RequestId: _r, ...body } = res;
      assert.deepEqual(body, {
        DeviceSessionList: [
          {
            EndTime: 1650000060,
            FieldDeviceId: "dev2",
            Quality: "good",
            RemoteDeviceId: "dev1",
            Resolution: "1920*1080",
            SessionId: sessionId,
            StartTime: 1650000000,
          },
        ],
        Total: 1,
        Num: 1,
      });
      // And the companion statistics over the same window.
      const stats = await client.DescribeSessionStatistics({ ProjectId: projectId, DeviceId: "dev2", StartTime: 0, EndTime: 1670000000 });
      const { RequestId: _s, ...st } = stats;
      assert.deepEqual(st, { SessionNum: 1, TotalDuration: 1, ActiveFieldDeviceNum: 1, ActiveRemoteDeviceNum: 1, NotBadSessionRatio: 100 });
    });

    test("a fleet: devices online, sessions with metrics, a device that vanishes mid-session", async () => {
      const { projectId, dev } = await fleet(server, client, [
        { id: "truck1", type: "field" },
        { id: "truck2", type: "field" },
        { id: "crane1", type: "field" },
        { id: "op1", type: "remote" },
        { id: "op2", type: "remote" },
      ]);
      const P = projectId;
      const t0 = await domainNow(server);
      for (const d of Object.values(dev)) await d.online(t0);
      let list = await client.DescribeDeviceList({ ProjectId: P, DeviceStatus: "online" });
      assert.equal(list.Total, 5);
      assert.ok(list.Devices!.every((d) => d.DeviceStatus === "ready"));

      const A = `${P}-a`,
        B = `${P}-b`,
        C = `${P}-c`;
      // A: truck1 driven from op1, good link, ended by the operator.
      await dev.truck1!.start(A, "op1", t0 + 1000, { width: 1280, height: 720, ver: "1.4.2", sdkMode: "p2p" });
      await dev.op1!.start(A, "truck1", t0 + 1200, { ver: "1.4.1", sdkMode: "p2p" });
      // B: crane1 from op2, a bad link.
      await dev.crane1!.start(B, "op2", t0 + 2000, { width: 1920, height: 1080 });
      await dev.op2!.start(B, "crane1", t0 + 2100);
      for (let i = 0; i < 10; i++) {
        await dev.truck1!.metrics(A, t0 + 2000 + i * 1000, { networkLatency: 40 + i });
        await dev.op1!.metrics(A, t0 + 2000 + i * 1000, { videoLatency: 150 });
        await dev.crane1!.metrics(B, t0 + 3000 + i * 1000, badMetrics);
      }
      const connected = await client.DescribeDeviceList({ ProjectId: P, DeviceStatus: "connected" });
      assert.deepEqual(
        connected.Devices!.map((d) => d.DeviceId),
        ["crane1", "op1", "op2", "truck1"],
      );
      await dev.op1!.end(A, t0 + 15_000);
      assert.equal((await client.DescribeDeviceInfo({ ProjectId: P, DeviceId: "truck1" })).DeviceStatus, "ready");

      // C: truck2 from op1; truck2 vanishes after two samples, op1 keeps reporting.
      await server.advance(20);
      const t1 = await domainNow(server);
      await dev.truck2!.start(C, "op1", t1, { width: 1280, height: 720 });
      await dev.op1!.start(C, "truck2", t1 + 100);
      await dev.truck2!.metrics(C, t1 + 1000);
      await dev.truck2!.metrics(C, t1 + 2000);
      await server.advance(40); // B's devices: silent for 60 s now → B closed
      const t2 = await domainNow(server);
      await dev.op1!.metrics(C, t2);
      assert.equal((await client.DescribeDeviceInfo({ ProjectId: P, DeviceId: "truck2" })).DeviceStatus, "offline", "silent past presence");
      assert.equal((await client.DescribeDeviceInfo({ ProjectId: P, DeviceId: "op1" })).DeviceStatus, "connected");
      let recent = await client.DescribeRecentSessionList({ ProjectId: P, PageNumber: 1, PageSize: 10 });
      assert.deepEqual(
        recent.RecentSessionList!.map((x) => x.SessionId),
        [C, B, A],
      );
      assert.equal(recent.RecentSessionList![0]!.LatestUpdateTime, s(t2), "op1's report");
      let open = (await client.DescribeDeviceSessionList({ ProjectId: P, PageNumber: 1, PageSize: 10 })).DeviceSessionList!;
      assert.equal(open.find((x) => x.SessionId === C)!.EndTime, 0, "C still open");
      await server.advance(25); // truck2 silent for 65 s → C closed at truck2's last report

      const all = await client.DescribeDeviceSessionList({ ProjectId: P, PageNumber: 1, PageSize: 10 });
      assert.equal(all.Total, 3);
      const byId = Object.fromEntries(all.DeviceSessionList!.map((x) => [x.SessionId!, x]));
      assert.deepEqual(
        all.DeviceSessionList!.map((x) => x.SessionId),
        [C, B, A],
        "newest first",
      );
      assert.deepEqual(byId[A], {
        SessionId: A,
        RemoteDeviceId: "op1",
        FieldDeviceId: "truck1",
        Resolution: "1280*720",
        StartTime: s(t0 + 1000),
        EndTime: s(t0 + 15_000),
        Quality: "good",
      });
      assert.equal(byId[B]!.Quality, "bad");
      assert.equal(byId[B]!.EndTime, s(t0 + 12_000), "B closed by silence at its last report");
      assert.equal(byId[C]!.EndTime, s(t1 + 2000), "C closed at the vanished truck's last report");
      assert.equal(byId[C]!.Quality, "good");

      // DeviceId matches either side.
      const op1 = await client.DescribeDeviceSessionList({ ProjectId: P, PageNumber: 1, PageSize: 10, DeviceId: "op1" });
      assert.deepEqual(
        op1.DeviceSessionList!.map((x) => x.SessionId),
        [C, A],
      );
      const truck2 = await client.DescribeDeviceSessionList({ ProjectId: P, PageNumber: 1, PageSize: 10, DeviceId: "truck2" });
      assert.deepEqual(
        truck2.DeviceSessionList!.map((x) => x.SessionId),
        [C],
      );
      // Overlap: a window after B ended and before C started holds A only; one touching
      // B's last second holds both.
      const between = await client.DescribeDeviceSessionList({
        ProjectId: P,
        PageNumber: 1,
        PageSize: 10,
        StartTime: s(t0 + 12_000) + 1,
        EndTime: s(t1) - 1,
      });
      assert.deepEqual(
        between.DeviceSessionList!.map((x) => x.SessionId),
        [A],
      );
      const atEnd = await client.DescribeDeviceSessionList({
        ProjectId: P,
        PageNumber: 1,
        PageSize: 10,
        StartTime: s(t0 + 12_000),
        EndTime: s(t0 + 12_000),
      });
      assert.deepEqual(
        atEnd.DeviceSessionList!.map((x) => x.SessionId),
        [B, A],
        "touching the window counts",
      );

      // Details: both sides of A, aligned series, the window narrowing the points.
      const details = await client.DescribeDeviceSessionDetails({ SessionId: A });
      assert.equal(details.Details!.length, 2);
      const [field, remote] = details.Details!;
      assert.equal(field!.DeviceType, "field");
      assert.equal(field!.DeviceId, "truck1");
      assert.equal(field!.ProjectId, P);
      assert.equal(field!.Ver, "1.4.2");
      assert.equal(field!.SdkMode, "p2p");
      assert.equal(field!.Width, 1280);
      assert.deepEqual(field!.NetworkLatency, [40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
      assert.deepEqual(field!.TimeOffset, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      assert.equal(field!.StartTime, s(t0 + 2000));
      assert.equal(field!.EndTime, s(t0 + 11_000));
      assert.equal(field!.Rate!.length, 10);
      assert.deepEqual(field!.DecodeCost, [], "a series never sent is empty");
      assert.equal(remote!.DeviceType, "remote");
      assert.deepEqual(remote!.VideoLatency, Array(10).fill(150));
      const narrow = await client.DescribeDeviceSessionDetails({ SessionId: A, StartTime: s(t0 + 4000), EndTime: s(t0 + 6000) });
      assert.deepEqual(narrow.Details![0]!.NetworkLatency, [42, 43, 44]);
      assert.deepEqual(narrow.Details![0]!.TimeOffset, [0, 1, 2]);

      // Statistics: 3 sessions, 3 field and 2 remote devices, one bad → 66.67 % not bad.
      const stats = await client.DescribeSessionStatistics({ ProjectId: P });
      assert.equal(stats.SessionNum, 3);
      assert.equal(stats.ActiveFieldDeviceNum, 3);
      assert.equal(stats.ActiveRemoteDeviceNum, 2);
      assert.equal(stats.NotBadSessionRatio, 66.67);
      assert.equal(stats.TotalDuration, Math.floor((14_000 + 10_000 + 2000) / 60_000));
      const op2Stats = await client.DescribeSessionStatistics({ ProjectId: P, DeviceId: "op2" });
      assert.equal(op2Stats.SessionNum, 1);
      assert.equal(op2Stats.NotBadSessionRatio, 0);
      const none = await client.DescribeSessionStatistics({ ProjectId: P, StartTime: 0, EndTime: 1000 });
      assert.deepEqual(
        { ...none, RequestId: undefined },
        { SessionNum: 0, TotalDuration: 0, ActiveFieldDeviceNum: 0, ActiveRemoteDeviceNum: 0, NotBadSessionRatio: 0, RequestId: undefined },
      );

      // Each hourly/daily/monthly entry equals the statistics over its own bucket.
      for (const StatisticInterval of ["hour", "day", "month"]) {
        const by = await client.DescribeSessionStatisticsByInterval({ ProjectId: P, StatisticInterval });
        assert.ok(by.SessionStatistics!.length >= 1);
        for (const b of by.SessionStatistics!) {
          const one = await client.DescribeSessionStatistics({ ProjectId: P, StartTime: b.StartTime, EndTime: b.EndTime });
          const { RequestId: _x, ...expected } = one;
          assert.deepEqual({ ...b, StartTime: undefined, EndTime: undefined }, { ...expected, StartTime: undefined, EndTime: undefined });
        }
        const span = by.SessionStatistics![0]!.EndTime - by.SessionStatistics![0]!.StartTime + 1;
        assert.equal(span >= 3600, true);
        if (StatisticInterval === "hour") assert.equal(span, 3600);
        if (StatisticInterval === "day") assert.equal((by.SessionStatistics![0]!.StartTime + 8 * 3600) % 86400, 0, "CST midnight");
      }
      // Recent list: the same three, within two hours.
      recent = await client.DescribeRecentSessionList({ ProjectId: P, PageNumber: 1, PageSize: 2, DeviceId: "op1" });
      assert.equal(recent.Total, 2);
      assert.deepEqual(
        recent.RecentSessionList!.map((x) => x.SessionId),
        [C, A],
      );
      await server.advance(3 * 3600);
      recent = await client.DescribeRecentSessionList({ ProjectId: P, PageNumber: 1, PageSize: 10 });
      assert.equal(recent.Total, 0, "older than two hours");
      list = await client.DescribeDeviceList({ ProjectId: P, DeviceStatus: "online" });
      assert.equal(list.Total, 0, "everyone silent for hours is offline");
      open = (await client.DescribeDeviceSessionList({ ProjectId: P, PageNumber: 1, PageSize: 10 })).DeviceSessionList!;
      assert.ok(open.every((x) => x.EndTime! > 0));
    });

    test("statistics over any window equal a session-by-session count (day rollups and edges)", async () => {
      const { projectId: P, dev } = await fleet(server, client, [
        { id: "f1", type: "field" },
        { id: "f2", type: "field" },
        { id: "f3", type: "field" },
        { id: "r1", type: "remote" },
        { id: "r2", type: "remote" },
      ]);
      // 36 closed sessions over six past days, 1 minute to 5 hours long, every fourth bad.
      const base = Date.UTC(2024, 2, 1, 3, 17, 0);
      let x = 12345;
      const rnd = (n: number) => ((x = (x * 1103515245 + 12345) % 2 ** 31), x % n);
      const sessions: { id: string; f: string; r: string; start: number; end: number; bad: boolean }[] = [];
      for (let i = 0; i < 36; i++) {
        const f = `f${1 + rnd(3)}`,
          r = `r${1 + rnd(2)}`;
        const start = base + rnd(6 * 86400) * 1000;
        const end = start + (60 + rnd(5 * 3600)) * 1000;
        const id = `${P}-st${i}`;
        const bad = i % 4 === 0;
        await dev[f]!.start(id, r, start);
        await dev[f]!.metrics(id, start + 1000, bad ? badMetrics : {});
        await dev[f]!.end(id, end);
        sessions.push({ id, f, r, start, end, bad });
      }
      const expected = (from: number, to: number, device?: string) => {
        const inW = sessions.filter(
          (q) => q.start < (to + 1) * 1000 && q.end >= from * 1000 && (!device || q.f === device || q.r === device),
        );
        const ms = inW.reduce((a, q) => a + Math.min(q.end, (to + 1) * 1000) - Math.max(q.start, from * 1000), 0);
        const bad = inW.filter((q) => q.bad).length;
        return {
          SessionNum: inW.length,
          TotalDuration: Math.floor(ms / 60_000),
          ActiveFieldDeviceNum: new Set(inW.map((q) => q.f)).size,
          ActiveRemoteDeviceNum: new Set(inW.map((q) => q.r)).size,
          NotBadSessionRatio: inW.length ? Math.round(((inW.length - bad) * 10000) / inW.length) / 100 : 0,
        };
      };
      const b = Math.floor(base / 1000);
      const windows: [number, number][] = [
        [0, b + 30 * 86400],
        [b - 3600, b + 7 * 86400],
        [b + 86400 - 3 * 3600, b + 4 * 86400 + 5 * 3600], // CST midnight is 16:00 UTC: cuts days
        [b + 2 * 86400 + 1234, b + 2 * 86400 + 9876],
        [b + 12 * 3600, b + 5 * 86400 + 12 * 3600],
      ];
      for (const [StartTime, EndTime] of windows) {
        const got = await client.DescribeSessionStatistics({ ProjectId: P, StartTime, EndTime });
        assert.deepEqual(
          { ...got, RequestId: undefined },
          { ...expected(StartTime, EndTime), RequestId: undefined },
          `${StartTime}..${EndTime}`,
        );
        const one = await client.DescribeSessionStatistics({ ProjectId: P, StartTime, EndTime, DeviceId: "f2" });
        assert.deepEqual({ ...one, RequestId: undefined }, { ...expected(StartTime, EndTime, "f2"), RequestId: undefined });
        const list = await client.DescribeDeviceSessionList({ ProjectId: P, PageNumber: 1, PageSize: 100, StartTime, EndTime });
        assert.equal(list.Total, expected(StartTime, EndTime).SessionNum);
      }
    });

    test("paging while sessions arrive neither skips nor repeats", async () => {
      const { projectId: P, dev } = await fleet(server, client, [
        { id: "f1", type: "field" },
        { id: "r1", type: "remote" },
      ]);
      const now = await domainNow(server);
      const old: string[] = [];
      // 23 past sessions, two of them starting in the same second (ties break on SessionId).
      for (let i = 0; i < 23; i++) {
        const id = `${P}-old${String(i).padStart(2, "0")}`;
        const start = now - 3600_000 + Math.min(i, 21) * 60_000;
        await dev.f1!.start(id, "r1", start);
        await dev.f1!.end(id, start + 30_000);
        old.push(id);
      }
      const EndTime = s(now);
      const seen: string[] = [];
      for (let page = 1; page <= 6; page++) {
        const res = await client.DescribeDeviceSessionList({ ProjectId: P, PageNumber: page, PageSize: 4, EndTime });
        assert.equal(res.Total, 23, "new sessions do not enter a window that ended");
        seen.push(...res.DeviceSessionList!.map((x) => x.SessionId!));
        // Meanwhile, a new session starts (later than EndTime) and an old one gets metrics.
        await server.advance(2);
        const t = await domainNow(server);
        await dev.f1!.start(`${P}-new${page}`, "r1", t);
        await dev.f1!.metrics(old[page]!, now - 3600_000 + page * 60_000 + 1000);
      }
      assert.equal(seen.length, 23);
      assert.equal(new Set(seen).size, 23, "no repeats");
      assert.deepEqual([...seen].sort(), [...old].sort(), "no skips");
      // Newest first, ties by SessionId descending.
      assert.deepEqual(seen.slice(0, 3), [old[22], old[21], old[20]]);
      // Without EndTime the new sessions are on top.
      const top = await client.DescribeDeviceSessionList({ ProjectId: P, PageNumber: 1, PageSize: 2 });
      assert.equal(top.Total, 29);
      assert.deepEqual(
        top.DeviceSessionList!.map((x) => x.SessionId),
        [`${P}-new6`, `${P}-new5`],
      );
    });

    test("session action errors", async () => {
      const { projectId: P } = await fleet(server, client, [{ id: "f", type: "field" }]);
      const acc = await server.admin<{ secretId: string; secretKey: string }>("POST", "/accounts", { name: "stranger" });
      const stranger = trroClient(server, { secretId: acc.secretId, secretKey: acc.secretKey });
      const list = { ProjectId: P, PageNumber: 1, PageSize: 10 };
      assert.equal((await sdkError(stranger.DescribeDeviceSessionList(list))).code, "OperationDenied");
      assert.equal((await sdkError(client.DescribeDeviceSessionList({ ...list, ProjectId: "abcdefg" }))).code, "OperationDenied");
      assert.equal((await sdkError(client.DescribeDeviceSessionList({ ProjectId: P, PageNumber: 1 } as never))).code, "MissingParameter");
      assert.equal((await sdkError(client.DescribeDeviceSessionList({ ...list, PageNumber: 0 }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(client.DescribeDeviceSessionList({ ...list, PageSize: 101 }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(client.DescribeDeviceSessionList({ ...list, PageSize: "ten" } as never))).code, "InvalidParameter");
      assert.equal(
        (await sdkError(client.DescribeDeviceSessionList({ ...list, StartTime: 10, EndTime: 5 }))).code,
        "InvalidParameterValue",
      );
      assert.equal((await sdkError(client.DescribeDeviceSessionList({ ...list, StartTime: -1 }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(client.DescribeDeviceSessionList({ ...list, Extra: 1 } as never))).code, "UnknownParameter");
      assert.equal((await sdkError(stranger.DescribeRecentSessionList(list))).code, "OperationDenied");
      assert.equal((await sdkError(stranger.DescribeSessionStatistics({ ProjectId: P }))).code, "OperationDenied");
      assert.equal(
        (await sdkError(stranger.DescribeSessionStatisticsByInterval({ ProjectId: P, StatisticInterval: "day" }))).code,
        "OperationDenied",
      );
      assert.equal(
        (await sdkError(client.DescribeSessionStatisticsByInterval({ ProjectId: P, StatisticInterval: "week" }))).code,
        "InvalidParameterValue",
      );
      assert.equal((await sdkError(client.DescribeSessionStatisticsByInterval({ ProjectId: P } as never))).code, "MissingParameter");
      assert.equal((await sdkError(client.DescribeDeviceSessionDetails({ SessionId: `${P}-nope` }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(client.DescribeDeviceSessionDetails({} as never))).code, "MissingParameter");
      const empty = await client.DescribeDeviceSessionList({ ...list, DeviceId: "ghost" });
      assert.equal(empty.Total, 0);
      assert.deepEqual(empty.DeviceSessionList, []);
    });
  });
}
