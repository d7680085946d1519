// What a product declares behind the Huawei gateway: its routes under /v1 and, if it issues
// them, the X-Auth-Token verifier. The gateway (gateway.ts) does the rest.
import type { Account } from "../../tenancy/accounts.ts";

export interface HuaweiCaller {
  account: Account;
  /** "aksk" or "token", and the key the rate limit counts on. */
  method: "aksk" | "token";
  credentialId: string;
}

export interface HuaweiCall {
  caller: HuaweiCaller;
  /** Path parameters (project_id included). */
  params: Record<string, string>;
  /** Decoded query pairs in wire order; a repeated key appears once per value. */
  query: [string, string][];
  requestId: string;
}

export interface HuaweiRoute {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path under /v1 in Fastify syntax, e.g. "/:project_id/rtc/client/qos/details". */
  path: string;
  /** Name for the rate limit and metrics (the SDK operation name). */
  name: string;
  handler(call: HuaweiCall): Promise<unknown>;
}

/** X-Auth-Token verification, supplied by whoever issues the tokens. */
export interface HuaweiTokenVerifier {
  verify(token: string): Promise<{ account: Account; expiresAt: number } | null>;
}

export interface HuaweiProductApi {
  routes: readonly HuaweiRoute[];
  /** X-Auth-Token verification, from the product that issues the tokens (one at most). */
  tokens?: HuaweiTokenVerifier;
}
