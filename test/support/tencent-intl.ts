// The international SDK (tencentcloud-sdk-nodejs-intl-en) as a black-box client. It has no
// CommonClient, so a tiny subclass of its AbstractClient names the roomledger service, as its
// generated product clients do. It defaults to v1 (HmacSHA256) signing and adds the
// Language/RequestClient parameters; in TC3 mode it sends `X-TC-Region: null` when no region
// is set. It takes no http.Agent: it only honours http_proxy, which the tests unset.
import { createRequire } from "node:module";
import type { TestServer } from "./server.ts";

// The package ships no type declarations: loaded untyped.
const require = createRequire(import.meta.url);
const common = "tencentcloud-sdk-nodejs-intl-en/tencentcloud/common";
const AbstractClient: any = require(`${common}/abstract_client.js`);
const Credential: any = require(`${common}/credential.js`);
const ClientProfile: any = require(`${common}/profile/client_profile.js`);
const HttpProfile: any = require(`${common}/profile/http_profile.js`);

delete process.env.http_proxy;

export interface IntlOptions {
  signMethod?: "HmacSHA256" | "HmacSHA1" | "TC3-HMAC-SHA256";
  reqMethod?: "POST" | "GET";
  region?: string;
  secretKey?: string;
  headers?: Record<string, string>;
  version?: string;
}

class RoomledgerIntlClient extends AbstractClient {
  constructor(endpoint: string, version: string, credential: unknown, region: string | undefined, profile: unknown) {
    super(endpoint, version, credential, region, profile);
  }
  call(action: string, req: Record<string, unknown>): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const resp = {
        deserialize(data: Record<string, unknown>) {
          Object.assign(this, data);
        },
      };
      (this as any).request(action, req, resp, (err: unknown, r: Record<string, unknown>) => {
        if (err) reject(err);
        else {
          const { deserialize: _d, ...fields } = r;
          resolve(fields);
        }
      });
    });
  }
}

export function intlClient(server: TestServer, o: IntlOptions = {}): RoomledgerIntlClient {
  const http = new HttpProfile("http://", server.endpoint, o.reqMethod ?? "POST", 30, o.headers ?? {});
  const profile = new ClientProfile(o.signMethod, http);
  const credential = new Credential(server.secretId, o.secretKey ?? server.secretKey);
  return new RoomledgerIntlClient("roomledger.tencentcloudapi.com", o.version ?? "2026-11-01", credential, o.region, profile);
}
