// The recording actions' errors beyond the product's catalog (../errors.ts), with the
// codes of the LCIC error list (Python SDK errorcodes.py) and Tencent's descriptions.
import { ApiError } from "../../../errors/api-error.ts";

const err = (code: string, message: string, messageZh: string) => () => new ApiError(code, { message, messageZh });

export const recordErrors = {
  taskNotFound: err("ResourceNotFound", "The recording task does not exist.", "录制任务不存在。"),
  tooManyRooms: err("InvalidParameter.ClassIDs", "The number of room IDs exceeds the maximum.", "ClassIDs超过最大值。"),
  notStarted: err("FailedOperation", "Operation failed: the class has not started.", "操作失败：课堂未开始。"),
  disabled: err(
    "FailedOperation",
    "Operation failed: recording is disabled for this room (DisableRecord 1).",
    "操作失败：该课堂禁止录制。",
  ),
  signalling: err(
    "FailedOperation",
    "Operation failed: this room is recorded by signalling (DisableRecord 3), not by a recording task.",
    "操作失败：该课堂为信令录制。",
  ),
};

/** Room ids of one batch action (BatchDeleteRecord, BatchGetPlaybackToken): at most this many. */
export const MAX_BATCH_ROOMS = 100;
