// The GME error codes of the recording actions. The English messages are the descriptions
// of the official error table (tencentcloud-sdk-java-intl-en GmeErrorCode, the DescribeRecordInfo
// page); the real service's message texts are not documented, so these are what a user sees.
// The codes of the voice-room actions (DeleteRoomMember's InvalidDeleteType, InvalidStrUin,
// InvalidUinOrStrUin, LimitDeleteExceeded; BizidIsNotFound) have no English description in
// the SDKs (only InvalidDeleteType has a Chinese one, "输入删除类型应为1或2。"): the others'
// texts are ours.
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
  /** A value the voice-room actions refuse, for those whose error list has no finer code. */
  invalidParameter: (message: string, messageZh: string) => new ApiError("InvalidParameter", { message, messageZh }),
  bizIdNotFound: e("ResourceNotFound.BizidIsNotFound", "Incorrect application ID.", "应用ID不正确。"),
  resourceNotFound: (message: string, messageZh: string) => new ApiError("ResourceNotFound", { message, messageZh }),
  invalidDeleteType: e("InvalidParameterValue.InvalidDeleteType", "DeleteType must be 1 or 2.", "输入删除类型应为1或2。"),
  invalidStrUin: e("InvalidParameterValue.InvalidStrUin", "Invalid StrUids: 1 to 127 printable characters, no '/'.", "StrUids 无效。"),
  invalidUinOrStrUin: e(
    "InvalidParameterValue.InvalidUinOrStrUin",
    "Uids or StrUids must name the users to remove; Uids are integers.",
    "Uids 或 StrUids 须给出要剔除的用户；Uids 为整数。",
  ),
  limitDeleteExceeded: e(
    "UnsupportedOperation.LimitDeleteExceeded",
    "At most 100 users can be removed in one request.",
    "单次最多剔除 100 个用户。",
  ),
  serviceNotOpened: e("UnsupportedOperation.ServiceNotOpened", "The recording service is not activated.", "录制服务未开通。"),
};
