// The GME error codes of the recording actions. The English messages are the descriptions
// of the official error table (tencentcloud-sdk-java-intl-en GmeErrorCode, the DescribeRecordInfo
// page); the real service's message texts are not documented, so these are what a user sees.
import { ApiError } from "../../errors/api-error.ts";

const e = (code: string, message: string, messageZh: string) => () => new ApiError(code, { message, messageZh });

export const gmeErrors = {
  invalidBizId: e("InvalidParameterValue.InvalidBizId", "Invalid BizId.", "BizId 无效。"),
  invalidTaskId: e("InvalidParameterValue.InvalidTaskId", "Invalid taskid.", "taskid 无效。"),
  invalidRoomId: e("InvalidParameterValue.InvalidRoomId", "Invalid RoomId.", "RoomId 无效。"),
  invalidRecordMode: e("InvalidParameterValue.InvalidRecordMode", "Invalid RecordMode.", "RecordMode 无效。"),
  invalidSubscribeRecordUserIds: e(
    "InvalidParameterValue.InvalidSubscribeRecordUserIds",
    "Incorrect blocklist/allowlist format.",
    "黑白名单格式错误。",
  ),
  invalidSubscribeUserIds: e(
    "InvalidParameterValue.InvalidSubscribeUserIds",
    "The number of entries on the allowlist exceeds 20.",
    "白名单人数超过20。",
  ),
  invalidUnSubscribeUserIds: e(
    "InvalidParameterValue.InvalidUNSubscribeUserIds",
    "The number of entries on the blocklist exceeds 20.",
    "黑名单人数超过20。",
  ),
  taskInUse: e("ResourceInUse.TaskInUse", "The task already exists.", "task已存在。"),
  taskNotFound: e("ResourceNotFound.TaskNotFound", "The task ID does not exist.", "taskid不存在。"),
  roomNotFound: e("ResourceNotFound.RoomNotFound", "The room does not exist.", "房间不存在。"),
  serviceNotOpened: e("UnsupportedOperation.ServiceNotOpened", "The recording service is not activated.", "录制服务未开通。"),
};
