// The codes of Huawei Cloud's API gateway (reference §3.3). Their bodies carry request_id
// besides error_code/error_msg, as the real gateway's do; the SDK reads the request id from
// the X-Request-Id header only, which every answer carries.
import { ApiError } from "../../errors/api-error.ts";

const iam = (detail: string): ApiError =>
  new ApiError("APIGW.0301", { message: `Incorrect IAM authentication information: ${detail}`, httpStatus: 401 });

export const huaweiGatewayErrors = {
  apiNotFound: () =>
    new ApiError("APIGW.0101", { message: "The API does not exist or has not been published in the environment", httpStatus: 404 }),
  badRequest: (detail: string) => new ApiError("APIGW.0201", { message: `API request error: ${detail}`, httpStatus: 400 }),
  /** No X-Auth-Token and no Authorization header: the real gateway's wording names the token. */
  noCredentials: () => iam("x-auth-token not found"),
  badAuthorization: () =>
    iam(
      "the Authorization header is not SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=... " +
        "nor V11-HMAC-SHA256 Credential=<AK>/<yyyymmdd>/<region>/<service>, SignedHeaders=..., Signature=...",
    ),
  missingSdkDate: () => iam("x-sdk-date not found or not in the format YYYYMMDDTHHMMSSZ"),
  scopeDate: (scope: string, sdkDate: string) => iam(`the credential scope ${scope} is not of the day of x-sdk-date ${sdkDate}`),
  unsignedRequiredHeader: (name: string) => iam(`the signed headers must include ${name}`),
  // Huawei masks the AK in this message.
  unknownAccessKey: () => iam("Get secretKey failed,ak:******,err:ak not exist"),
  signatureExpired: () => iam("calc ak sk signature fail:signature expired"),
  accessKeyLocked: () => iam("AK access failed to reach the limit,forbidden"),
  // Huawei puts the canonical request (newlines as |) in the message, which is what makes
  // signature bugs debuggable on the client side; we do the same.
  signatureMismatch: (canonical: string) => iam(`verify aksk signature fail, canonicalRequest:${canonical.replace(/\n/g, "|")}`),
  unknownToken: () => iam("decrypt token fail"),
  tokenExpired: (expiresAt: number) =>
    new ApiError("APIGW.0307", {
      message: `The token must be updated: token expires, expires_at: ${new Date(expiresAt).toISOString()}`,
      httpStatus: 401,
    }),
  /**
   * The credential is valid but the project of the path (or X-Project-Id) is not its
   * account's: the IAM user is not authorized for that project. The same answer whether
   * or not the project exists, so project ids of other accounts cannot be probed.
   */
  projectNotAuthorized: () => new ApiError("APIGW.0302", { message: "The IAM user is not authorized to access the API", httpStatus: 403 }),
  throttled: (limit: number) =>
    new ApiError("APIGW.0308", {
      message: `The throttling threshold has been reached: policy user over ratelimit,limit:${limit},time:1 second`,
      httpStatus: 429,
      headers: { "retry-after": "1" },
    }),
  internal: () => new ApiError("APIGW.0601", { message: "Internal server error", httpStatus: 500 }),
};
