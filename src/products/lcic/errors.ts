// The LCIC error codes of the reference (§8.1, Go SDK client.go/errors.go), with the
// descriptions Tencent gives them as messages.
import { ApiError } from "../../errors/api-error.ts";

const err = (code: string, message: string, messageZh: string) => () => new ApiError(code, { message, messageZh });

export const lcicErrors = {
  sdkAppId: err("InvalidParameter.SdkAppId", "The SdkAppId is incorrect.", "SdkAppId 不正确。"),
  roomNotFound: err("ResourceNotFound.Room", "The room does not exist.", "房间不存在。"),
  userNotFound: err("ResourceNotFound.User", "The user does not exist.", "用户不存在。"),
  groupNotFound: err("ResourceNotFound.GroupNotExist", "The group does not exist.", "群组不存在。"),
  groupPartUsersNotExist: err("ResourceNotFound.GroupPartUsersNotExist", "Some of the group members do not exist.", "部分群组成员不存在。"),
  groupTeachersNotExist: err("InvalidParameter.GroupTeachersNotExist", "The teacher of the group does not exist.", "群组老师不存在。"),
  groupMemberOverLimit: err(
    "InvalidParameter.GroupMemberOverLimit",
    "The number of group members exceeds the limit.",
    "群组成员数量超过限制。",
  ),
  groupTeacherNotMember: err(
    "InvalidParameter.GroupTeacherNotMember",
    "The teacher of a group cannot also be a member of it.",
    "主讲人不能同时是群组成员。",
  ),
  groupTypeInvalid: err("InvalidParameter.GroupTypeInvalid", "The group type is invalid for this operation.", "群组类型错误。"),
  groupParamInvalid: err(
    "InvalidParameter.GroupParamInvalid",
    "Invalid parameter: neither the teacher nor the name is given.",
    "参数错误，主讲人与群组名称都为空。",
  ),
  roomNotEnd: err("FailedOperation.RoomNotEnd", "The class has not ended.", "房间暂未结束。"),
  statisticsPending: err("ResourceUnavailable.RoomStatistics", "Getting room data. Please wait.", "房间统计结果计算中，请稍候。"),
  classEnded: err("FailedOperation.ClassEnded", "The class has ended.", "课堂已结束。"),
  classExpired: err("FailedOperation.ClassExpired", "The class has expired.", "课堂已过期。"),
  classStarted: err("FailedOperation.ClassStarted", "The class has started.", "课堂已开始。"),
  classTooLong: err("FailedOperation.ClassTooLong", "The class cannot be longer than 72 hours.", "预约课堂时长不能超过72小时。"),
  startTime: err("InvalidParameter.StartTime", "The start time cannot be earlier than the current time.", "开始时间不能早于当前时间。"),
  endTime: err("InvalidParameter.EndTime", "The end time cannot be earlier than the start time.", "结束时间不能早于开始时间。"),
  maxMicNumber: err(
    "InvalidParameter.MaxMicNumber",
    "The MaxMicNumber is out of range for this room type.",
    "连麦人数超出该课堂类型的范围。",
  ),
  roomType: err("InvalidParameter.RoomTypeInvalid", "The room type is invalid.", "课堂类型无效。"),
  liveType: err("InvalidParameter.LiveType", "The live type is invalid.", "直播类型无效。"),
  disableRecord: err("InvalidParameter.DisableRecord", "The DisableRecord value is invalid.", "录制方式无效。"),
  recordLayout: err("InvalidParameter.RecordLayout", "The record layout is invalid.", "录制模板无效。"),
  content: err("InvalidParameter.Content", "The content is invalid.", "内容不合法。"),
  originIdExists: err("FailedOperation.OriginIdExists", "The OriginId already exists.", "OriginId 已存在。"),
  userInGroup: err("FailedOperation.UserIsAlreadyInGroup", "The user is already in a group.", "用户已在群组中。"),
  failed: (why: string) => new ApiError("FailedOperation", { message: `Operation failed: ${why}.`, messageZh: `操作失败：${why}。` }),
  invalidValue: (name: string, why: string) =>
    new ApiError("InvalidParameterValue", {
      message: `The value of parameter \`${name}\` is invalid: ${why}.`,
      messageZh: `参数 \`${name}\` 取值错误：${why}。`,
    }),
};
