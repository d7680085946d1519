// The official SDK clients the demo calls, pointed at the target: tencentcloud-sdk-nodejs
// (http://, an explicit agent so that http_proxy is not used) and the Huawei SDK core's
// HcClient with AK/SK (the generated cloudrtc package is not on npm's registry for this
// version; its listRtcClientQosDetails builds exactly the request qosDetails builds).
import http from "node:http";
import * as tencentcloud from "tencentcloud-sdk-nodejs";
import { ClientBuilder } from "@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js";
import type { HcClient } from "@huaweicloud/huaweicloud-sdk-core/HcClient.js";
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js";
import type { Target } from "./target.ts";

const agent = new http.Agent({ keepAlive: true });

function config(t: Target) {
  return {
    credential: { secretId: t.secretId, secretKey: t.secretKey },
    profile: { httpProfile: { endpoint: t.endpoint, protocol: "http://", reqTimeout: 60, agent } },
  } as never;
}

export const lcicClient = (t: Target) => new tencentcloud.lcic.v20220817.Client(config(t));
export const tiwClient = (t: Target) => new tencentcloud.tiw.v20190919.Client(config(t));
export const trroClient = (t: Target) => new tencentcloud.trro.v20220325.Client(config(t));
export const gmeClient = (t: Target) => new tencentcloud.gme.v20180711.Client(config(t));

export type LcicClient = ReturnType<typeof lcicClient>;
export type TiwClient = ReturnType<typeof tiwClient>;
export type TrroClient = ReturnType<typeof trroClient>;
export type GmeClient = ReturnType<typeof gmeClient>;

export function huaweiClient(t: Target): HcClient {
  const cred = new BasicCredentials().withAk(t.secretId).withSk(t.secretKey).withProjectId(t.huaweiProjectId);
  return new ClientBuilder<HcClient>((c) => c).withEndpoint(t.url).withCredential(cred).build();
}

export interface QosSeries {
  uid: string;
  peerid: string;
  mid: string;
  data: { time: string; value: number }[];
}

export interface QosDetails {
  room_id?: string;
  data?: QosSeries[];
  /** Copied by the SDK core from the response header. */
  "X-request-id"?: string;
  httpStatusCode?: number;
}

/**
 * ListRtcClientQosDetails, as the generated SDK's listRtcClientQosDetails sends it (the
 * cloudrtc package is not installable here, so its request options are built here and
 * handed to the SDK core's HcClient: the real signer, HTTP client and error mapping).
 */
export async function qosDetails(client: HcClient, query: Record<string, string | number | string[]>): Promise<QosDetails> {
  const options = {
    method: "GET",
    url: "/v1/{project_id}/rtc/client/qos/details",
    contentType: "application/json",
    queryParams: query,
    pathParams: {},
    headers: {},
    responseHeaders: ["X-request-id"],
  };
  return (await client.sendRequest(options as never)) as never;
}

/**
 * Retries a Tencent call refused by the per-action rate limit (RequestLimitExceeded), as a
 * well-behaved client does: the demo creates a fleet's devices one call each.
 */
export async function politely<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if ((err as { code?: string }).code !== "RequestLimitExceeded" || attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
