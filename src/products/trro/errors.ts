// TRRO business errors. The Go SDK's client.go lists, for every project-scoped action:
// FailedOperation, InternalError, InvalidParameter, InvalidParameterValue, MissingParameter,
// OperationDenied (and ResourceNotFound for the two statistics actions).
import { ApiError } from "../../errors/api-error.ts";

export const trroErrors = {
  // A project that does not exist and a project of another account answer the same:
  // OperationDenied is documented for every project-scoped action, and one answer for both
  // keeps other accounts' project ids from being probed.
  projectDenied: (projectId: string) =>
    new ApiError("OperationDenied", {
      message: `The project \`${projectId}\` does not exist or does not belong to this account.`,
      messageZh: `项目 \`${projectId}\` 不存在或不属于当前账号。`,
    }),
  // An unknown device inside one's own project: the value of DeviceId is wrong.
  deviceNotFound: (deviceId: string) =>
    new ApiError("InvalidParameterValue", {
      message: `The device \`${deviceId}\` does not exist in this project.`,
      messageZh: `设备 \`${deviceId}\` 在该项目中不存在。`,
    }),
  // The Go SDK lists no ResourceInUse for CreateDevice; FailedOperation is its generic
  // "operation failed" and is what a duplicate id gets here.
  deviceExists: (deviceId: string) =>
    new ApiError("FailedOperation", {
      message: `The device \`${deviceId}\` already exists in this project.`,
      messageZh: `设备 \`${deviceId}\` 在该项目中已存在。`,
    }),
  // DescribeDeviceSessionDetails has no ProjectId: an unknown session, or one of another
  // account, is a wrong SessionId value.
  sessionNotFound: (sessionId: string) =>
    new ApiError("InvalidParameterValue", {
      message: `The session \`${sessionId}\` does not exist.`,
      messageZh: `会话 \`${sessionId}\` 不存在。`,
    }),
  invalidValue: (name: string, why: string) =>
    new ApiError("InvalidParameterValue", {
      message: `The value of parameter \`${name}\` is invalid: ${why}.`,
      messageZh: `参数 \`${name}\` 取值错误：${why}。`,
    }),
};
