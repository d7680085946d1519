// The Tencent Cloud API 3.0 common errors, with the message texts the real service sends
// where they are known (../shared/reference/tencent-api3.md §5 and §6).
import { ApiError } from "./api-error.ts";

export const tencentErrors = {
  signatureFailure: () =>
    new ApiError("AuthFailure.SignatureFailure", {
      message: "The provided credentials could not be validated. Please check your signature is correct.",
      messageZh: "请求签名验证失败，请检查您的签名计算是否正确。",
    }),
  signatureExpire: () =>
    new ApiError("AuthFailure.SignatureExpire", {
      message: "The signature is expired, please request again.",
      messageZh: "签名过期。Timestamp 和服务器时间相差不得超过五分钟，请检查本地时间是否和标准时间同步。",
    }),
  secretIdNotFound: () =>
    new ApiError("AuthFailure.SecretIdNotFound", {
      message: "The SecretId is not found, please ensure that your SecretId is correct.",
      messageZh: "密钥不存在，请检查您的 SecretId 是否正确。",
    }),
  invalidAuthorization: () =>
    new ApiError("AuthFailure.InvalidAuthorization", {
      message: "The `Authorization` header is invalid, please check your header.",
      messageZh: "请求头部的 Authorization 不符合腾讯云标准。",
    }),
  invalidAction: (action: string, service: string, version: string) =>
    new ApiError("InvalidAction", {
      message: `The request action=\`${action}\` is invalid or not found in service=\`${service}\` and version=\`${version}\`.`,
      messageZh: `接口 action=\`${action}\` 不存在或者在 service=\`${service}\`、version=\`${version}\` 中不存在。`,
    }),
  noSuchVersion: (version: string) =>
    new ApiError("NoSuchVersion", {
      message: `The API version \`${version}\` does not exist.`,
      messageZh: `接口版本 \`${version}\` 不存在。`,
    }),
  missingParameter: (name: string) =>
    new ApiError("MissingParameter", {
      message: `The request is missing a required parameter \`${name}\`.`,
      messageZh: `缺少参数 \`${name}\`。`,
    }),
  invalidParameter: (name: string) =>
    new ApiError("InvalidParameter", {
      message: `Parameter \`${name}\` type error.`,
      messageZh: `参数 \`${name}\` 类型错误。`,
    }),
  invalidParameterText: (message: string) => new ApiError("InvalidParameter", message),
  invalidParameterValue: (name: string, why: string) =>
    new ApiError("InvalidParameterValue", {
      message: `The value of parameter \`${name}\` is invalid: ${why}.`,
      messageZh: `参数 \`${name}\` 取值错误：${why}。`,
    }),
  unknownParameter: (name: string) =>
    new ApiError("UnknownParameter", {
      message: `The parameter \`${name}\` is not recognized`,
      messageZh: `参数 \`${name}\` 无法识别`,
    }),
  unsupportedProtocol: (method: string) =>
    new ApiError("UnsupportedProtocol", {
      message: `The HTTP method \`${method}\` is not supported; only GET and POST are.`,
      messageZh: `不支持 HTTP 方法 \`${method}\`，仅支持 GET 和 POST。`,
    }),
  unsupportedContentType: (type: string) =>
    new ApiError("UnsupportedProtocol", {
      message: `The content type \`${type}\` is not supported with this signature method.`,
      messageZh: `该签名方法不支持 Content-Type \`${type}\`。`,
    }),
  requestSizeLimitExceeded: (limit: number) =>
    new ApiError("RequestSizeLimitExceeded", {
      message: `The request size exceeds the limit of ${limit} bytes.`,
      messageZh: `请求包超过 ${limit} 字节的限制。`,
    }),
  // The real message format (reference §6), numbers in backquotes.
  requestLimitExceeded: (times: number, limit: number) =>
    new ApiError("RequestLimitExceeded", {
      message: `Your current request times equals to \`${times}\` in a second, which exceeds the frequency limit \`${limit}\` for a second. Please reduce the frequency of calls.`,
      messageZh: `您当前每秒请求 \`${times}\` 次，超过了每秒频率上限 \`${limit}\`，请稍后重试。`,
    }),
  internalError: () => new ApiError("InternalError", { message: "An internal error occurred.", messageZh: "内部错误。" }),
};
