// TRRO projects and devices through the official SDK's trro client, on both backends.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { sdkError } from "../support/tencent.ts";
import { TOKEN, trroClient, type TrroClient } from "./trro-support.ts";

const CST = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

for (const backend of backends()) {
  describe(`TRRO projects and devices (${backend})`, () => {
    let server: TestServer;
    let client: TrroClient;
    let other: TrroClient;
    before(async () => {
      server = await startServer({ backend });
      client = trroClient(server);
      const acc = await server.admin<{ secretId: string; secretKey: string }>("POST", "/accounts", { name: "other" });
      other = trroClient(server, { secretId: acc.secretId, secretKey: acc.secretKey });
    });
    after(() => server.stop());

    test("CreateProject, DescribeProjectInfo, ModifyProject, DescribeProjectList, DeleteProject", async () => {
      const created = await client.CreateProject({ ProjectName: "矿区远控", ProjectDescription: "crane yard", PolicyMode: "white" });
      assert.match(created.ProjectId!, /^[a-z0-9]{16}$/);
      assert.match(created.RequestId!, /^[0-9a-f-]{36}$/);
      const info = await client.DescribeProjectInfo({ ProjectId: created.ProjectId! });
      assert.equal(info.ProjectName, "矿区远控");
      assert.equal(info.ProjectDescription, "crane yard");
      assert.equal(info.PolicyMode, "white");
      assert.match(info.ModifyTime!, CST);

      await client.ModifyProject({ ProjectId: created.ProjectId!, ProjectName: "yard 2" });
      const modified = await client.DescribeProjectInfo({ ProjectId: created.ProjectId! });
      assert.equal(modified.ProjectName, "yard 2");
      assert.equal(modified.ProjectDescription, "crane yard", "absent fields stay");
      assert.equal(modified.PolicyMode, "white");

      const second = await client.CreateProject({ ProjectName: "second" });
      const list = await client.DescribeProjectList({ PageSize: 10, PageNumber: 0 });
      const ids = list.Projects.map((p) => p.ProjectId);
      assert.ok(ids.includes(created.ProjectId) && ids.includes(second.ProjectId));
      assert.equal(list.Num, list.Projects.length);
      assert.equal(list.Total, list.Projects.length);
      const mine = list.Projects.find((p) => p.ProjectId === second.ProjectId)!;
      assert.deepEqual(Object.keys(mine).sort(), ["ModifyTime", "PolicyMode", "ProjectDescription", "ProjectId", "ProjectName"]);
      assert.equal(mine.PolicyMode, "black", "default policy");
      assert.equal(mine.ProjectDescription, "");
      const page2 = await client.DescribeProjectList({ PageSize: 1, PageNumber: 2 });
      assert.equal(page2.Num, 1);
      assert.equal(page2.Total, list.Total);
      assert.equal(page2.Projects[0]!.ProjectId, list.Projects[1]!.ProjectId);

      // The other account neither sees nor touches these projects.
      assert.equal((await other.DescribeProjectList({})).Total, 0);
      const denied = await sdkError(other.DescribeProjectInfo({ ProjectId: created.ProjectId! }));
      assert.equal(denied.code, "OperationDenied");
      assert.equal((await sdkError(other.DeleteProject({ ProjectId: created.ProjectId! }))).code, "OperationDenied");

      await client.DeleteProject({ ProjectId: second.ProjectId! });
      const gone = await sdkError(client.DescribeProjectInfo({ ProjectId: second.ProjectId! }));
      assert.equal(gone.code, "OperationDenied", "a deleted project answers like an unknown one");
      assert.equal(gone.message, denied.message.replace(created.ProjectId!, second.ProjectId ?? ""), "unknown and foreign answer alike");
      const apps = await server.admin<{ apps: { appId: string }[] }>("GET", "/apps");
      assert.ok(!apps.apps.some((a) => a.appId === second.ProjectId), "DeleteProject removed the app");
    });

    test("project errors: missing, types, values, unknown parameters", async () => {
      assert.equal((await sdkError(client.CreateProject({} as never))).code, "MissingParameter");
      assert.equal((await sdkError(client.CreateProject({ ProjectName: "x".repeat(25) }))).code, "InvalidParameterValue");
      assert.match((await client.CreateProject({ ProjectName: "名".repeat(24) })).ProjectId!, /^[a-z0-9]{16}$/, "24 characters, 72 bytes");
      assert.equal((await sdkError(client.CreateProject({ ProjectName: "名".repeat(25) }))).code, "InvalidParameterValue");
      assert.equal(
        (await sdkError(client.CreateProject({ ProjectName: "a", ProjectDescription: "d".repeat(121) }))).code,
        "InvalidParameterValue",
      );
      assert.equal((await sdkError(client.CreateProject({ ProjectName: "a", PolicyMode: "grey" }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(client.CreateProject({ ProjectName: 5 as never }))).code, "InvalidParameter");
      const unknown = await sdkError(client.CreateProject({ ProjectName: "a", Region: "x" } as never));
      assert.equal(unknown.code, "UnknownParameter");
      assert.equal((await sdkError(client.DescribeProjectInfo({ ProjectId: "nope" }))).code, "OperationDenied");
      assert.equal((await sdkError(client.ModifyProject({ ProjectId: "nope" }))).code, "OperationDenied");
      assert.equal((await sdkError(client.DescribeProjectList({ PageSize: 0 }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(client.DescribeProjectList({ PageSize: 101 }))).code, "InvalidParameterValue");
    });

    test("CreateDevice, DescribeDeviceInfo, DescribeDeviceList filters, ModifyDevice, BatchDeleteDevices", async () => {
      const { ProjectId } = await client.CreateProject({ ProjectName: "devices" });
      const pid = ProjectId!;
      await client.CreateDevice({ ProjectId: pid, DeviceId: "truck_01", DeviceName: "Truck 1", DeviceType: "field", DeviceToken: TOKEN });
      await client.CreateDevice({ ProjectId: pid, DeviceId: "truck_02", DeviceName: "Truck 2", DeviceType: "field", DeviceToken: TOKEN });
      await client.CreateDevice({
        ProjectId: pid,
        DeviceId: "console_a",
        DeviceName: "控制台 A",
        DeviceType: "remote",
        DeviceToken: TOKEN,
      });

      const info = await client.DescribeDeviceInfo({ ProjectId: pid, DeviceId: "truck_01" });
      assert.equal(info.DeviceName, "Truck 1");
      assert.equal(info.DeviceType, "field");
      assert.equal(info.DeviceStatus, "offline", "never reported");
      assert.equal(info.LastReportTime, "");
      assert.match(info.ModifyTime!, CST);

      const all = await client.DescribeDeviceList({ ProjectId: pid });
      assert.equal(all.Total, 3);
      assert.deepEqual(
        all.Devices!.map((d) => d.DeviceId),
        ["console_a", "truck_01", "truck_02"],
      );
      assert.deepEqual(Object.keys(all.Devices![0]!).sort(), [
        "DeviceId",
        "DeviceName",
        "DeviceStatus",
        "DeviceType",
        "LastReportTime",
        "ModifyTime",
        "ProjectId",
      ]);
      assert.equal(all.Devices![0]!.ProjectId, pid);
      assert.equal((await client.DescribeDeviceList({ ProjectId: pid, DeviceType: "remote" })).Total, 1);
      const search = await client.DescribeDeviceList({ ProjectId: pid, SearchWords: "ruck" });
      assert.deepEqual(
        search.Devices!.map((d) => d.DeviceId),
        ["truck_01", "truck_02"],
      );
      assert.equal((await client.DescribeDeviceList({ ProjectId: pid, SearchWords: "控制" })).Total, 1, "name matches too");
      assert.equal((await client.DescribeDeviceList({ ProjectId: pid, SearchWords: "%" })).Total, 0, "LIKE wildcards are literal");
      assert.equal((await client.DescribeDeviceList({ ProjectId: pid, DeviceStatus: "online" })).Total, 0);
      const paged = await client.DescribeDeviceList({ ProjectId: pid, PageSize: 2, PageNumber: 2 });
      assert.equal(paged.Num, 1);
      assert.equal(paged.Total, 3);
      const beyond = await client.DescribeDeviceList({ ProjectId: pid, PageSize: 2, PageNumber: 5 });
      assert.equal(beyond.Num, 0);
      assert.equal(beyond.Total, 3);

      await client.ModifyDevice({ ProjectId: pid, DeviceId: "truck_01", DeviceName: "Truck One" });
      assert.equal((await client.DescribeDeviceInfo({ ProjectId: pid, DeviceId: "truck_01" })).DeviceName, "Truck One");

      const del = await client.BatchDeleteDevices({ ProjectId: pid, DeviceIds: ["truck_02", "ghost"] });
      assert.deepEqual(del.FailedDeviceIds, ["ghost"]);
      assert.equal((await client.DescribeDeviceList({ ProjectId: pid })).Total, 2);
      const ok = await client.BatchDeleteDevices({ ProjectId: pid, DeviceIds: ["console_a"] });
      assert.deepEqual(ok.FailedDeviceIds, []);
    });

    test("device errors", async () => {
      const { ProjectId } = await client.CreateProject({ ProjectName: "device errors" });
      const pid = ProjectId!;
      const base = { ProjectId: pid, DeviceId: "d1", DeviceName: "d1", DeviceType: "field", DeviceToken: TOKEN };
      await client.CreateDevice(base);
      const dup = await sdkError(client.CreateDevice(base));
      assert.equal(dup.code, "FailedOperation");
      for (const bad of [
        { DeviceId: "Upper" },
        { DeviceId: "a".repeat(33) },
        { DeviceId: "with-dash" },
        { DeviceType: "robot" },
        { DeviceToken: "short" },
        { DeviceToken: "Abcdef012345678!" },
        { DeviceName: "n".repeat(24) },
      ]) {
        const err = await sdkError(client.CreateDevice({ ...base, DeviceId: "d2", ...bad }));
        assert.equal(err.code, "InvalidParameterValue", JSON.stringify(bad));
      }
      const { DeviceToken: _t, ...noToken } = base;
      assert.equal((await sdkError(client.CreateDevice({ ...noToken, DeviceId: "d3" } as never))).code, "MissingParameter");
      assert.equal((await sdkError(other.CreateDevice({ ...base, DeviceId: "d4" }))).code, "OperationDenied");
      assert.equal((await sdkError(client.DescribeDeviceInfo({ ProjectId: pid, DeviceId: "ghost" }))).code, "InvalidParameterValue");
      assert.equal(
        (await sdkError(client.ModifyDevice({ ProjectId: pid, DeviceId: "ghost", DeviceName: "x" }))).code,
        "InvalidParameterValue",
      );
      assert.equal(
        (await sdkError(client.ModifyDevice({ ProjectId: pid, DeviceId: "d1", DeviceToken: "bad" }))).code,
        "InvalidParameterValue",
      );
      assert.equal((await sdkError(client.DescribeDeviceList({ ProjectId: pid, DeviceStatus: "offline" }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(client.BatchDeleteDevices({ ProjectId: pid, DeviceIds: [] }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(other.BatchDeleteDevices({ ProjectId: pid, DeviceIds: ["d1"] }))).code, "OperationDenied");
      assert.equal((await sdkError(other.DescribeDeviceList({ ProjectId: pid }))).code, "OperationDenied");
      // A project made through the admin API (an app with product trro) works the same.
      const adminMade = await server.createApp(["trro"], "made by admin");
      await client.CreateDevice({ ...base, ProjectId: adminMade });
      assert.equal((await client.DescribeProjectInfo({ ProjectId: adminMade })).ProjectName, "made by admin");
    });

    test("signature v1 (intl default) and GET reach the same actions", async () => {
      const v1 = trroClient(server, { signMethod: "HmacSHA256" });
      const { ProjectId } = await v1.CreateProject({ ProjectName: "v1" });
      const get = trroClient(server, { reqMethod: "GET" });
      assert.equal((await get.DescribeProjectInfo({ ProjectId: ProjectId! })).ProjectName, "v1");
    });
  });
}
