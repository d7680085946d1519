// The international SDK's own gme client (tencentcloud-sdk-nodejs-intl-en: v1 HmacSHA256
// form POST by default, callbacks, model classes) against the recording actions.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { startServer, type TestServer } from "../support/server.ts";
import { beginWanted, recorderClient, recordingApp } from "./gme-support.ts";

const require = createRequire(import.meta.url);
const base = "tencentcloud-sdk-nodejs-intl-en/tencentcloud";
const GmeClient: any = require(`${base}/gme/v20180711/gme_client.js`);
const Credential: any = require(`${base}/common/credential.js`);
const ClientProfile: any = require(`${base}/common/profile/client_profile.js`);
const HttpProfile: any = require(`${base}/common/profile/http_profile.js`);
delete process.env.http_proxy;

function intlGme(server: TestServer, signMethod?: string) {
  const client = new GmeClient(
    new Credential(server.secretId, server.secretKey),
    undefined,
    new ClientProfile(signMethod, new HttpProfile("http://", server.endpoint, "POST", 30)),
  );
  const call = (action: string, req: Record<string, unknown>) =>
    new Promise<any>((resolve, reject) => client[action](req, (err: unknown, res: unknown) => (err ? reject(err) : resolve(res))));
  return call;
}

describe("GME through tencentcloud-sdk-nodejs-intl-en", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ["--rate-limit", "0"] });
  });
  after(() => server.stop());

  for (const signMethod of [undefined, "TC3-HMAC-SHA256"]) {
    test(`StartRecord, DescribeTaskInfo, DescribeRecordInfo (${signMethod ?? "default v1"})`, async () => {
      const call = intlGme(server, signMethod);
      const { bizId, BizId, key, worker, room } = await recordingApp(server);
      await room.speak("intl", "9081");
      const { TaskId } = await call("StartRecord", {
        BizId,
        RoomId: "intl",
        RecordMode: 3,
        SubscribeRecordUserIds: { SubscribeUserIds: ["9081"] },
      });
      assert.ok(Number.isSafeInteger(TaskId));
      const info = await call("DescribeTaskInfo", { BizId, RoomId: "intl" });
      assert.equal(info.TaskId, TaskId);
      assert.deepEqual(info.SubscribeRecordUserIds.SubscribeUserIds, ["9081"]);
      const recorder = recorderClient(server, worker);
      await recorder.claim("gme-record");
      await beginWanted(server, key, recorder, TaskId);
      const res = await call("DescribeRecordInfo", { BizId, TaskId });
      assert.equal(res.RoomId, "intl");
      assert.equal(res.RecordMode, 3);
      assert.deepEqual(
        res.RecordInfo.map((r: any) => [r.UserId, r.FileName, r.RecordStatus]),
        [
          ["0", `/${bizId}_intl_${TaskId}_0`, 2],
          ["9081", `/${bizId}_intl_${TaskId}_9081`, 2],
        ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
      );
      const err = await call("DescribeRecordInfo", { BizId, TaskId: 5 }).catch((e: any) => e);
      assert.equal(err.code, "InvalidParameterValue.InvalidTaskId");
    });
  }
});
