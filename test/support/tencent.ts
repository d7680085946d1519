// Official Tencent SDK clients pointed at a test server. An explicit http.Agent keeps the
// SDK from routing through http_proxy (reference §7.1).
import http from "node:http";
import https from "node:https";
import * as tencentcloud from "tencentcloud-sdk-nodejs";
import { CommonClient } from "tencentcloud-sdk-nodejs/tencentcloud/common/common_client.js";
import type { TestServer } from "./server.ts";

export const agent = new http.Agent({ keepAlive: true });
/** For a server started with --tls (the test process must trust its CA). */
export const httpsAgent = new https.Agent({ keepAlive: true });

export interface ClientOptions {
  region?: string;
  reqMethod?: "POST" | "GET";
  signMethod?: "TC3-HMAC-SHA256" | "HmacSHA256" | "HmacSHA1";
  language?: "en-US" | "zh-CN";
  secretId?: string;
  secretKey?: string;
}

export function clientConfig(server: TestServer, o: ClientOptions = {}) {
  // The SDK reads these fields without defaults when the keys exist: leave absent ones out.
  const secure = server.url.startsWith("https:");
  const httpProfile: Record<string, unknown> = {
    endpoint: server.endpoint,
    protocol: secure ? "https://" : "http://",
    reqTimeout: 30,
    agent: secure ? httpsAgent : agent,
  };
  if (o.reqMethod) httpProfile.reqMethod = o.reqMethod;
  const profile: Record<string, unknown> = { httpProfile };
  if (o.signMethod) profile.signMethod = o.signMethod;
  if (o.language) profile.language = o.language;
  const config: Record<string, unknown> = {
    credential: { secretId: o.secretId ?? server.secretId, secretKey: o.secretKey ?? server.secretKey },
    profile,
  };
  if (o.region) config.region = o.region;
  return config;
}

export const sdk = tencentcloud;

/** A CommonClient for any (service, version): used for the development `roomledger` service. */
export function commonClient(server: TestServer, version: string, o: ClientOptions = {}): CommonClient {
  return new CommonClient(server.endpoint, version, clientConfig(server, o) as never);
}

/** Runs an SDK call expected to fail and returns the SDK's error (code, message, requestId). */
export async function sdkError(p: Promise<unknown>): Promise<{ code?: string; message: string; requestId?: string }> {
  try {
    await p;
  } catch (err) {
    return err as { code?: string; message: string; requestId?: string };
  }
  throw new Error("expected the call to fail");
}
