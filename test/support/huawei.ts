// The real Huawei Cloud SDK core (signer, HTTP client, error mapping) pointed at a test
// server. The generated cloudrtc package is not installable here, so we build the request
// options its listRtcClientQosDetails builds and hand them to HcClient (reference §5).
import { ClientBuilder } from "@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js";
import type { HcClient } from "@huaweicloud/huaweicloud-sdk-core/HcClient.js";
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js";
import { Region } from "@huaweicloud/huaweicloud-sdk-core/region/region.js";
import { ClientRequestException } from "@huaweicloud/huaweicloud-sdk-core/exception/ClientRequestException.js";
import type { TestServer } from "./server.ts";

export { qosDetails, type QosDetails } from "../../src/demo/clients.ts";

export interface HuaweiCredentialOptions {
  ak?: string;
  sk?: string;
  projectId?: string;
  /** Sign with the derived V11-HMAC-SHA256 for this region and service (withDerivedAuthServiceName). */
  derived?: { region: string; service: string };
}

export function hcClient(server: TestServer, o: HuaweiCredentialOptions = {}): HcClient {
  const cred = new BasicCredentials()
    .withAk(o.ak ?? server.secretId)
    .withSk(o.sk ?? server.secretKey)
    .withProjectId(o.projectId ?? server.huaweiProjectId);
  const builder = new ClientBuilder<HcClient>((c) => c).withCredential(cred);
  if (!o.derived) return builder.withEndpoint(server.url).build();
  return builder.withRegion(new Region(o.derived.region, server.url)).withDerivedAuthServiceName(o.derived.service).build();
}

export interface HuaweiError {
  httpStatusCode: number;
  errorCode: string;
  errorMsg: string;
  requestId: string;
}

export async function huaweiError(p: Promise<unknown>): Promise<HuaweiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ClientRequestException || (err as { httpStatusCode?: number }).httpStatusCode) {
      const e = err as unknown as HuaweiError;
      return { httpStatusCode: e.httpStatusCode, errorCode: e.errorCode, errorMsg: e.errorMsg, requestId: e.requestId };
    }
    throw err;
  }
  throw new Error("expected the call to fail");
}
