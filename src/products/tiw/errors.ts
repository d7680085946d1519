// TIW's own error codes (Go SDK tiw/v20190919/errors.go), with the descriptions of its
// documentation as messages.
import { ApiError } from "../../errors/api-error.ts";
import type { ActionContext } from "../../protocols/tencent/action.ts";
import type { App } from "../../tenancy/accounts.ts";

export const tiwErrors = {
  sdkAppIdUnauthorized: () =>
    new ApiError("UnauthorizedOperation.SdkAppId", {
      message: "The SdkAppId does not exist or does not belong to the current Tencent Cloud account.",
      messageZh: "SdkAppId不存在或者SdkAppId与当前腾讯云账号不对应。",
    }),
  sdkAppIdNotFound: () =>
    new ApiError("InvalidParameter.SdkAppIdNotFound", {
      message: "The SdkAppId does not exist or is in a wrong format.",
      messageZh: "SdkAppId不存在或格式错误。",
    }),
  notRegistered: () =>
    new ApiError("ResourceUnavailable.NotRegistered", {
      message: "The interactive whiteboard service is not enabled for this SdkAppId.",
      messageZh: "未开通互动白板。",
    }),
  taskNotFound: () =>
    new ApiError("InvalidParameter.TaskNotFound", { message: "The task does not exist.", messageZh: "需要查询的任务不存在。" }),
  taskHasAlreadyStopped: () =>
    new ApiError("UnsupportedOperation.TaskHasAlreadyStopped", {
      message: "The task has ended, and the operation cannot be performed.",
      messageZh: "任务结束，不能执行指定操作。",
    }),
  taskConcurrency: (limit: number, kind: { en: string; zh: string } = { en: "whiteboard push", zh: "白板推流" }) =>
    new ApiError("LimitExceeded.TaskConcurrency", {
      message: `The number of concurrent ${kind.en} tasks exceeds the limit of ${limit} for this SdkAppId.`,
      messageZh: `${kind.zh}任务并发数量超过限制（${limit}）。`,
    }),
  recordUserInUse: (userId: string) =>
    new ApiError("ResourceInUse.RecordUserId", {
      message: `The user \`${userId}\` is already used by another task.`,
      messageZh: `用户 \`${userId}\` 已被其他任务使用。`,
    }),
  recordParameter: (name: string, why: string) =>
    new ApiError("InvalidParameter.RecordParameter", {
      message: `The parameter \`${name}\` is in a wrong format: ${why}.`,
      messageZh: `参数 \`${name}\` 格式不正确：${why}。`,
    }),
  invalidExtra: () =>
    new ApiError("InvalidParameter.InvalidExtra", {
      message: "The extra feature specified in `ExtraData` does not exist.",
      messageZh: "额外指定的特殊功能不存在。",
    }),
  callbackAddressFormat: () =>
    new ApiError("InvalidParameter.CallbackAddressFormatError", {
      message: "The callback address must be an http:// or https:// URL.",
      messageZh: "回调地址格式错误，仅支持 http 或 https 协议。",
    }),
  invalidTaskStatus: (why: string) =>
    new ApiError("UnsupportedOperation.InvalidTaskStatus", {
      message: `The task cannot do this in its current state: ${why}.`,
      messageZh: `当前未完成的任务不能在此状态下执行指定操作：${why}。`,
    }),
  record: (message: string) =>
    // The message is the recorder's own error text (DescribeOnlineRecord's example 2).
    new ApiError("FailedOperation.Record", { message }),
  failedOperation: (message: string, messageZh: string) => new ApiError("FailedOperation", { message, messageZh }),
  invalidParameter: (message: string, messageZh: string) => new ApiError("InvalidParameter", { message, messageZh }),
  whiteboardPush: (message: string) =>
    // The message is the worker's own error text (seed example 2): the same in both languages.
    new ApiError("FailedOperation.WhiteboardPush", { message }),
};

/**
 * The app named by SdkAppId, if the caller may use its whiteboard push. Another account's app
 * is UnauthorizedOperation.SdkAppId; an app with no whiteboard service is NotRegistered. A
 * missing one: the actions whose documented errors include InvalidParameter.SdkAppIdNotFound
 * (Start, Stop) answer that; the others document only UnauthorizedOperation.SdkAppId
 * ("SdkAppId不存在或者..."), so they answer that.
 */
export async function tiwApp(ctx: ActionContext, sdkAppId: number, missing: "SdkAppIdNotFound" | "Unauthorized"): Promise<App> {
  const found = await ctx.tenancy.lookupApp(sdkAppId, ctx.account.accountId);
  if (found.kind === "missing") throw missing === "SdkAppIdNotFound" ? tiwErrors.sdkAppIdNotFound() : tiwErrors.sdkAppIdUnauthorized();
  if (found.kind === "foreign") throw tiwErrors.sdkAppIdUnauthorized();
  if (!found.app.products.includes("tiw")) throw tiwErrors.notRegistered();
  return found.app;
}

/**
 * TIW answers a parameter of the wrong type with its own InvalidParameter.BodyParameterTypeUnmatched
 * (参数类型不匹配, documented for every push action) rather than the common InvalidParameter.
 */
export function tiwValidationError(err: ApiError): ApiError {
  if (err.code !== "InvalidParameter") return err;
  return new ApiError("InvalidParameter.BodyParameterTypeUnmatched", { message: err.message, messageZh: err.messageZh });
}
