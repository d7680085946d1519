// The international SDK (tencentcloud-sdk-nodejs-intl-en), whose endpoint is the seed's
// trro.intl.tencentcloudapi.com and whose default is signature v1 (HmacSHA256, form POST:
// every number travels as a string). Wire only: one backend.
import { createRequire } from "node:module";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "../support/server.ts";
import { domainNow, fleet, trroClient } from "./trro-support.ts";

const require = createRequire(import.meta.url);
const intl = require("tencentcloud-sdk-nodejs-intl-en");
const { Credential, ClientProfile, HttpProfile } = intl.common;
const { Client: TrroClient, Models } = intl.trro.v20220325;

/** Calls an action the intl SDK's way: a model request, a callback. */
function call(client: any, action: string, params: Record<string, unknown>): Promise<any> {
  const req = new Models[`${action}Request`]();
  req.deserialize(params);
  return new Promise((resolve, reject) => client[action](req, (err: unknown, res: unknown) => (err ? reject(err) : resolve(res))));
}

describe("TRRO through the international SDK (signature v1)", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ["--rate-limit", "0"] });
  });
  after(() => server.stop());

  test("DescribeDeviceSessionList and DescribeSessionStatistics, numbers as strings on the wire", async () => {
    const { projectId: P, dev } = await fleet(server, trroClient(server), [
      { id: "dev2", type: "field" },
      { id: "dev1", type: "remote" },
    ]);
    const sid = `${P}-intl-0`;
    await dev.dev2!.start(sid, "dev1", 1650000000_000, { width: 1920, height: 1080 });
    await dev.dev2!.metrics(sid, 1650000030_000);
    await dev.dev2!.end(sid, 1650000060_000);
    const client = new TrroClient(
      new Credential(server.secretId, server.secretKey),
      "ap-singapore",
      new ClientProfile("HmacSHA256", new HttpProfile("http://", server.endpoint, "POST", 30)),
    );
    const res = await call(client, "DescribeDeviceSessionList", {
      ProjectId: P,
      PageNumber: 1,
      PageSize: 10,
      DeviceId: "dev2",
      StartTime: 0,
      EndTime: 1670000000,
    });
    assert.equal(res.Total, 1);
    assert.equal(res.Num, 1);
    assert.deepEqual(
      { ...res.DeviceSessionList[0] },
      {
        SessionId: sid,
        RemoteDeviceId: "dev1",
        FieldDeviceId: "dev2",
        Resolution: "1920*1080",
        StartTime: 1650000000,
        EndTime: 1650000060,
        Quality: "good",
      },
    );
    const stats = await call(client, "DescribeSessionStatistics", {
      ProjectId: P,
      StartTime: 0,
      EndTime: Math.floor((await domainNow(server)) / 1000),
    });
    assert.deepEqual(
      [stats.SessionNum, stats.TotalDuration, stats.ActiveFieldDeviceNum, stats.ActiveRemoteDeviceNum, stats.NotBadSessionRatio],
      [1, 1, 1, 1, 100],
    );
    const err = await call(client, "DescribeDeviceSessionList", { ProjectId: "abcdefg", PageNumber: 1, PageSize: 10 }).catch((e) => e);
    assert.equal(err.code, "OperationDenied");
  });
});
