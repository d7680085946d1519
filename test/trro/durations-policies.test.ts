// TRRO durations, device licences and access policies through the official SDK (issue 21):
// GetTotalDuration, GetDurationDetails, GetDevices, DescribePolicy, ModifyPolicy,
// BatchDeletePolicy, ModifyProjectSecMode, and a property test of their request boundaries.
// Both backends.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { commonClient, sdkError } from "../support/tencent.ts";
import { fleet, trroClient, type TrroClient } from "./trro-support.ts";

// 2024-06-26 00:00 in +08:00 (the real GetDurationDetails example's SessionTime).
const MIDNIGHT = 1719331200;
const DAY_BEFORE = MIDNIGHT - 86400;
const noRequestId = <T extends { RequestId?: string }>({ RequestId: _r, ...rest }: T) => rest;
const zeros = {
  Voice: 0,
  SD: 0,
  HD: 0,
  FHD: 0,
  TwoK: 0,
  FourK: 0,
  Online: 0,
  MultiSD: 0,
  MultiHD: 0,
  MultiFHD: 0,
  MultiTwoK: 0,
  MultiFourK: 0,
  MultiOnline: 0,
  DeductDuration: 0,
};

for (const backend of backends()) {
  describe(`TRRO durations and policies (${backend})`, () => {
    let server: TestServer;
    let client: TrroClient;
    before(async () => {
      // The property test calls faster than 20/s (the limit is the platform's, tested there).
      server = await startServer({ backend, args: ["--rate-limit", "0"] });
      client = trroClient(server);
    });
    after(() => server.stop());

    test("durations by resolution tier, in total and per China Standard Time day", async () => {
      const { projectId: P, dev } = await fleet(server, client, [
        { id: "f1", type: "field" },
        { id: "f2", type: "field" },
        { id: "r1", type: "remote" },
        { id: "r2", type: "remote" },
      ]);
      // A: 1920*1080 from 23:30 to 00:40 across midnight (70 min: 30 + 40).
      const a = `${P}-a`;
      await dev.f1!.start(a, "r1", (MIDNIGHT - 1800) * 1000, { width: 1920, height: 1080 });
      await dev.r1!.start(a, "f1", (MIDNIGHT - 1800) * 1000);
      await dev.f1!.end(a, (MIDNIGHT + 2400) * 1000);
      // B: 1280*720 on two networks, 30 min after midnight.
      const b = `${P}-b`;
      await dev.f2!.start(b, "r2", (MIDNIGHT + 3600) * 1000, { width: 1280, height: 720, multiMode: 1 });
      await dev.f2!.end(b, (MIDNIGHT + 5400) * 1000);
      // C: no picture size: voice, 10.5 min.
      const c = `${P}-c`;
      await dev.r1!.start(c, "f2", (MIDNIGHT + 7200) * 1000);
      await dev.r1!.end(c, (MIDNIGHT + 7830) * 1000);

      const total = await client.GetTotalDuration({ ProjectId: P, StartTime: 0, EndTime: MIDNIGHT + 86400 });
      assert.match(total.RequestId!, /^[0-9a-f-]{36}$/);
      assert.deepEqual(noRequestId(total), { ...zeros, FHD: 70, MultiHD: 30, Voice: 10, Online: 80, MultiOnline: 30 });
      // Online and MultiOnline are the session time DescribeSessionStatistics counts (110.5 min).
      const stats = await client.DescribeSessionStatistics({ ProjectId: P, StartTime: 0, EndTime: MIDNIGHT + 86400 });
      assert.equal(stats.TotalDuration, 110);

      // The window clips: from midnight on, A counts 40 minutes.
      const after0 = await client.GetTotalDuration({ ProjectId: P, StartTime: MIDNIGHT, EndTime: MIDNIGHT + 86400 });
      assert.equal(after0.FHD, 40);
      // A device on either side.
      const r2 = await client.GetTotalDuration({ ProjectId: P, DeviceId: "r2", StartTime: 0, EndTime: MIDNIGHT + 86400 });
      assert.deepEqual(noRequestId(r2), { ...zeros, MultiHD: 30, MultiOnline: 30 });
      const f2 = await client.GetTotalDuration({ ProjectId: P, DeviceId: "f2", StartTime: 0, EndTime: MIDNIGHT + 86400 });
      assert.deepEqual(noRequestId(f2), { ...zeros, MultiHD: 30, MultiOnline: 30, Voice: 10, Online: 10 });

      const details = await client.GetDurationDetails({ ProjectId: P, StartTime: 0, EndTime: MIDNIGHT + 86400, PageNum: 1, PageSize: 10 });
      assert.deepEqual(noRequestId(details), {
        TotalCount: 2,
        DurationDetails: [
          { SessionTime: String(DAY_BEFORE), ...zeros, FHD: 30, Online: 30 },
          { SessionTime: String(MIDNIGHT), ...zeros, FHD: 40, MultiHD: 30, Voice: 10, Online: 50, MultiOnline: 30 },
        ],
      });
      const page2 = await client.GetDurationDetails({ ProjectId: P, StartTime: 0, EndTime: MIDNIGHT + 86400, PageNum: 2, PageSize: 1 });
      assert.equal(page2.TotalCount, 2);
      assert.deepEqual(
        page2.DurationDetails!.map((d) => d.SessionTime),
        [String(MIDNIGHT)],
      );
      const empty = await client.GetDurationDetails({ ProjectId: P, StartTime: 0, EndTime: 1000, PageNum: 1, PageSize: 10 });
      assert.deepEqual(noRequestId(empty), { TotalCount: 0, DurationDetails: [] });

      assert.equal((await sdkError(client.GetTotalDuration({ ProjectId: P, StartTime: 10, EndTime: 5 }))).code, "InvalidParameterValue");
      assert.equal(
        (await sdkError(client.GetTotalDuration({ ProjectId: "nosuchproject000", StartTime: 0, EndTime: 5 }))).code,
        "OperationDenied",
      );
      assert.equal((await sdkError(client.GetTotalDuration({ ProjectId: P, StartTime: 0 } as never))).code, "MissingParameter");
      assert.equal(
        (await sdkError(client.GetDurationDetails({ ProjectId: P, StartTime: 0, EndTime: 5, PageNum: 0, PageSize: 10 }))).code,
        "InvalidParameterValue",
      );
    });

    test("GetDevices: every project of the account or one, a device, paging; no licences bound", async () => {
      const one = await fleet(server, client, [
        { id: "gd_a", type: "field" },
        { id: "gd_b", type: "remote" },
      ]);
      const two = await fleet(server, client, [{ id: "gd_a", type: "field" }]);
      const res = await client.GetDevices({ ProjectId: one.projectId, PageNum: 1, PageSize: 10 });
      assert.deepEqual(noRequestId(res), {
        TotalCount: 2,
        Devices: ["gd_a", "gd_b"].map((id) => ({
          DeviceId: id,
          DeviceName: id,
          LicenseCount: 0,
          RemainDay: 0,
          ExpireTime: "",
          Duration: "0",
          LicenseIds: [],
          MonthlyRemainTime: 0,
          LimitedTime: 0,
        })),
      });
      // Without ProjectId: the account's projects, oldest first; DeviceId narrows.
      const all = await client.GetDevices({ PageNum: 1, PageSize: 100, DeviceId: "gd_a" });
      assert.equal(all.TotalCount, 2);
      assert.equal(all.Devices!.length, 2);
      const paged = await client.GetDevices({ ProjectId: two.projectId, PageNum: 2, PageSize: 1 });
      assert.deepEqual(noRequestId(paged), { TotalCount: 1, Devices: [] });
      const other = trroClient(server, { secretId: "AKIDnosuchkey0000000000000000000000", secretKey: "x" } as never);
      assert.equal((await sdkError(other.GetDevices({ PageNum: 1, PageSize: 1 }))).code, "AuthFailure.SecretIdNotFound");
      assert.equal((await sdkError(client.GetDevices({ ProjectId: "nosuchproject000", PageNum: 1, PageSize: 1 }))).code, "OperationDenied");
      assert.equal((await sdkError(client.GetDevices({ PageNum: 1, PageSize: 0 }))).code, "InvalidParameterValue");
    });

    test("policies: add, remove, set, search, the mode in force, batch delete", async () => {
      const { projectId: P } = await fleet(server, client, [
        { id: "dev1", type: "field" },
        { id: "dev2", type: "field" },
        { id: "dev3", type: "field" },
        { id: "test1", type: "remote" },
        { id: "test3", type: "remote" },
      ]);
      // The real example's request: field devices added to a remote device's black list.
      const added = await client.ModifyPolicy({
        ProjectId: P,
        RemoteDeviceId: "test3",
        FieldDeviceIds: ["dev2", "dev3"],
        PolicyMode: "black",
        ModifyMode: "add",
      });
      assert.deepEqual(noRequestId(added), { FailedInsertIds: [], FailedDeleteIds: [] });
      // Unknown and wrong-type field devices cannot be added; the others are.
      const mixed = await client.ModifyPolicy({
        ProjectId: P,
        RemoteDeviceId: "test1",
        FieldDeviceIds: ["dev1", "ghost", "test3", "dev2"],
        PolicyMode: "black",
        ModifyMode: "add",
      });
      assert.deepEqual(noRequestId(mixed), { FailedInsertIds: ["ghost", "test3"], FailedDeleteIds: [] });

      const black = await client.DescribePolicy({ ProjectId: P });
      assert.equal(black.PolicyMode, "black");
      assert.equal(black.PolicyEnabled, true);
      assert.equal(black.Total, 2);
      assert.equal(black.Num, 2);
      assert.deepEqual(
        black.PolicyInfo!.map((p) => [p.RemoteDeviceId, p.FieldDeviceIds]),
        [
          ["test1", ["dev1", "dev2"]],
          ["test3", ["dev2", "dev3"]],
        ],
      );
      assert.match(black.PolicyInfo![0]!.ModifyTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
      // fieldMatch finds the remote devices whose list holds a matching field device.
      const byField = await client.DescribePolicy({ ProjectId: P, SearchMode: "fieldMatch", SearchWords: "dev3" });
      assert.deepEqual(
        byField.PolicyInfo!.map((p) => p.RemoteDeviceId),
        ["test3"],
      );
      const byRemote = await client.DescribePolicy({ ProjectId: P, SearchWords: "1", PageSize: 1, PageNumber: 1 });
      assert.deepEqual([byRemote.Total, byRemote.Num, byRemote.PolicyInfo![0]!.RemoteDeviceId], [1, 1, "test1"]);
      // "%" is a character, not a wildcard.
      assert.equal((await client.DescribePolicy({ ProjectId: P, SearchWords: "%" })).Total, 0);
      // The white lists are kept apart, and are not in force.
      const white = await client.DescribePolicy({ ProjectId: P, PolicyMode: "white" });
      assert.deepEqual(noRequestId(white), { PolicyMode: "white", PolicyEnabled: false, PolicyInfo: [], Num: 0, Total: 0 });
      await client.ModifyProject({ ProjectId: P, PolicyMode: "white" });
      assert.equal((await client.DescribePolicy({ ProjectId: P })).PolicyMode, "white");
      assert.equal((await client.DescribePolicy({ ProjectId: P, PolicyMode: "black" })).PolicyEnabled, false);

      const removed = await client.ModifyPolicy({
        ProjectId: P,
        RemoteDeviceId: "test1",
        FieldDeviceIds: ["dev1", "dev3"],
        PolicyMode: "black",
        ModifyMode: "remove",
      });
      assert.deepEqual(noRequestId(removed), { FailedInsertIds: [], FailedDeleteIds: ["dev3"] });
      const set = await client.ModifyPolicy({
        ProjectId: P,
        RemoteDeviceId: "test3",
        FieldDeviceIds: ["dev1", "nope"],
        PolicyMode: "black",
        ModifyMode: "set",
      });
      assert.deepEqual(noRequestId(set), { FailedInsertIds: ["nope"], FailedDeleteIds: [] });
      assert.deepEqual(
        (await client.DescribePolicy({ ProjectId: P, PolicyMode: "black" })).PolicyInfo!.map((p) => [p.RemoteDeviceId, p.FieldDeviceIds]),
        [
          ["test1", ["dev2"]],
          ["test3", ["dev1"]],
        ],
      );

      const err = await sdkError(
        client.ModifyPolicy({ ProjectId: P, RemoteDeviceId: "dev1", FieldDeviceIds: ["dev2"], PolicyMode: "black", ModifyMode: "add" }),
      );
      assert.equal(err.code, "InvalidParameterValue");
      assert.equal(
        (
          await sdkError(
            client.ModifyPolicy({ ProjectId: P, RemoteDeviceId: "test1", FieldDeviceIds: [], PolicyMode: "grey", ModifyMode: "add" }),
          )
        ).code,
        "InvalidParameterValue",
      );

      const deleted = await client.BatchDeletePolicy({ ProjectId: P, RemoteDeviceIds: ["test1", "test2"], PolicyMode: "black" });
      assert.deepEqual(noRequestId(deleted), { FailedRemoteDeviceIds: ["test2"] });
      assert.deepEqual(
        (await client.DescribePolicy({ ProjectId: P, PolicyMode: "black" })).PolicyInfo!.map((p) => p.RemoteDeviceId),
        ["test3"],
      );
      assert.equal(
        (await sdkError(client.BatchDeletePolicy({ ProjectId: P, RemoteDeviceIds: [], PolicyMode: "black" }))).code,
        "InvalidParameterValue",
      );
      assert.equal((await sdkError(client.DescribePolicy({ ProjectId: "nosuchproject000" }))).code, "OperationDenied");
      // A deleted device leaves the lists, as remote (test3's list goes) and as field device (dev3).
      await client.ModifyPolicy({
        ProjectId: P,
        RemoteDeviceId: "test1",
        FieldDeviceIds: ["dev1", "dev3"],
        PolicyMode: "white",
        ModifyMode: "add",
      });
      await client.BatchDeleteDevices({ ProjectId: P, DeviceIds: ["test3", "dev3"] });
      assert.equal((await client.DescribePolicy({ ProjectId: P, PolicyMode: "black" })).Total, 0);
      assert.deepEqual(
        (await client.DescribePolicy({ ProjectId: P, PolicyMode: "white" })).PolicyInfo!.map((p) => p.FieldDeviceIds),
        [["dev1"]],
      );
    });

    test("ModifyProjectSecMode: the key is required to turn it on; the admin API shows the mode", async () => {
      const { projectId: P } = await fleet(server, client, []);
      assert.equal((await sdkError(client.ModifyProjectSecMode({ ProjectId: P, Mode: 1 }))).code, "MissingParameter");
      assert.equal((await sdkError(client.ModifyProjectSecMode({ ProjectId: P, Mode: 1, Key: "ABC" }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(client.ModifyProjectSecMode({ ProjectId: P, Mode: 2 }))).code, "InvalidParameterValue");
      // The real example's request.
      const res = await client.ModifyProjectSecMode({
        ProjectId: P,
        Mode: 1,
        Key: "123456789012345678901234567abcde",
        AutoRegister: 3,
        FieldListEnable: 1,
      });
      assert.deepEqual(Object.keys(res), ["RequestId"]);
      let view = await server.admin("GET", `/trro/projects/${P}/settings`);
      assert.deepEqual([view.secMode, view.autoRegister, view.fieldListEnable], [1, 3, 1]);
      assert.equal(JSON.stringify(view).includes("abcde"), false);
      await client.ModifyProjectSecMode({ ProjectId: P, Mode: 0 });
      view = await server.admin("GET", `/trro/projects/${P}/settings`);
      assert.deepEqual([view.secMode, view.autoRegister, view.fieldListEnable], [0, 3, 1]);
    });

    test("property: the new actions answer any parameters with a result or a documented error", async () => {
      const { projectId: P } = await fleet(server, client, [
        { id: "f1", type: "field" },
        { id: "r1", type: "remote" },
      ]);
      const raw = commonClient(server, "2022-03-25");
      const fields = [
        "ProjectId",
        "DeviceId",
        "StartTime",
        "EndTime",
        "PageNum",
        "PageSize",
        "PageNumber",
        "PolicyMode",
        "SearchMode",
        "SearchWords",
        "RemoteDeviceId",
        "RemoteDeviceIds",
        "FieldDeviceIds",
        "ModifyMode",
        "Mode",
        "Key",
        "AutoRegister",
        "FieldListEnable",
      ];
      const actions = [
        "GetDevices",
        "GetTotalDuration",
        "GetDurationDetails",
        "DescribePolicy",
        "ModifyPolicy",
        "BatchDeletePolicy",
        "ModifyProjectSecMode",
      ];
      const value = fc.oneof(
        fc.constant(P),
        fc.constantFrom("f1", "r1", "black", "white", "add", "remove", "set", "fieldMatch", "remoteMatch", "%", "_"),
        fc.constant("0123456789abcdef0123456789abcdef"),
        fc.integer({ min: -5, max: 2_000_000_000 }),
        fc.constantFrom(0, 1, 3, 253402300800),
        fc.string({ maxLength: 30 }),
        fc.array(fc.constantFrom("f1", "r1", "zz", ""), { maxLength: 3 }),
        fc.boolean(),
        fc.double(),
        fc.constant(null),
        fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
      );
      // Mostly the real project, so that requests get past the project check to the queries.
      const params = fc
        .tuple(fc.constantFrom({ ProjectId: P }, { ProjectId: P }, {}), fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 7 }))
        .map(([base, rest]) => ({ ...base, ...rest }));
      const allowed = new Set(["MissingParameter", "InvalidParameter", "InvalidParameterValue", "UnknownParameter", "OperationDenied"]);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...actions), params, async (action, p) => {
          try {
            await raw.request(action, p);
          } catch (err) {
            const code = (err as { code?: string }).code;
            assert.ok(code && allowed.has(code), `${action} ${JSON.stringify(p)}: ${code} ${(err as Error).message}`);
          }
        }),
        { numRuns: 200 },
      );
    });
  });
}
