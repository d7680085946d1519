// Tencent LCIC (低代码互动课堂, `lcic` 2022-08-17): rooms, users, groups, live activity
// through ingest events, history, callbacks and DescribeRoomStatistics.
import type { Product } from "../product.ts";
import { batchAddGroupMember } from "./groups/batch-add-group-member.ts";
import { batchRegister } from "./users/batch-register.ts";
import { createGroupWithMembers } from "./groups/create-group-with-members.ts";
import { createRoom } from "./rooms/create-room.ts";
import { deleteGroup } from "./groups/delete-group.ts";
import { deleteRoom } from "./rooms/delete-room.ts";
import { deleteUser } from "./users/delete-user.ts";
import { describeCurrentMemberList } from "./rooms/describe-current-member-list.ts";
import { describeGroupMemberList } from "./groups/describe-group-member-list.ts";
import { describeRoom } from "./rooms/describe-room.ts";
import { describeRoomStatistics } from "./statistics/describe-room-statistics.ts";
import { describeSdkAppIdUsers } from "./users/describe-sdk-app-id-users.ts";
import { describeUser } from "./users/describe-user.ts";
import { endRoom } from "./rooms/end-room.ts";
import { lcicEventTypes } from "./events/events.ts";
import { getRoomEvent } from "./events/get-room-event.ts";
import { getRoomMessage } from "./messages/get-room-message.ts";
import { getRooms } from "./rooms/get-rooms.ts";
import { lcicJobs } from "./rooms/jobs.ts";
import { kickUserFromRoom } from "./rooms/kick-user-from-room.ts";
import { loginUser } from "./users/login-user.ts";
import { modifyRoom } from "./rooms/modify-room.ts";
import { registerUser } from "./users/register-user.ts";
import { sendRoomNormalMessage } from "./messages/send-room-normal-message.ts";
import { settingsRoutes } from "./admin-routes.ts";
import { roomLogRetention } from "./events/log-retention.ts";
import { startRoom } from "./rooms/start-room.ts";
import { unblockKickedUser } from "./rooms/unblock-kicked-user.ts";
import { addGroupMember } from "./groups/add-group-member.ts";
import { batchCreateGroupWithMembers } from "./groups/batch-create-group-with-members.ts";
import { batchCreateRoom } from "./rooms/batch-create-room.ts";
import { batchDeleteGroupMember } from "./groups/batch-delete-group-member.ts";
import { createGroupWithSubGroup } from "./groups/create-group-with-sub-group.ts";
import { createSupervisor } from "./supervisors/create-supervisor.ts";
import { deleteGroupMember } from "./groups/delete-group-member.ts";
import { deleteSupervisor } from "./supervisors/delete-supervisor.ts";
import { describeGroup } from "./groups/describe-group.ts";
import { describeGroupList } from "./groups/describe-group-list.ts";
import { describeRoomForbiddenUser } from "./messages/describe-room-forbidden-user.ts";
import { describeSupervisors } from "./supervisors/describe-supervisors.ts";
import { describeUserDetail } from "./users/describe-user-detail.ts";
import { forbidSendMsg } from "./messages/forbid-send-msg.ts";
import { loginOriginId } from "./users/login-origin-id.ts";
import { loginOriginIdWithRoom } from "./users/login-origin-id-with-room.ts";
import { loginUserWithRoom } from "./users/login-user-with-room.ts";
import { modifyGroup } from "./groups/modify-group.ts";
import { modifyUserProfile } from "./users/modify-user-profile.ts";
import { sendRoomNotificationMessage } from "./messages/send-room-notification-message.ts";
import { describeAnswerList } from "./activity/describe-answer-list.ts";
import { describePlayRecords } from "./activity/describe-play-records.ts";
import { describeQuestionList } from "./activity/describe-question-list.ts";
import { describeScoreList } from "./activity/describe-score-list.ts";
import { batchDeleteRecord } from "./recording/batch-delete-record.ts";
import { batchGetPlaybackToken } from "./recording/batch-get-playback-token.ts";
import { deletePlaybackItem } from "./recording/delete-playback-item.ts";
import { deleteRecord } from "./recording/delete-record.ts";
import { describePlaybackList } from "./recording/describe-playback-list.ts";
import { describeRecord } from "./recording/describe-record.ts";
import { describeRecordStream } from "./recording/describe-record-stream.ts";
import { describeRecordTask } from "./recording/describe-record-task.ts";
import { getPlaybackToken } from "./recording/get-playback-token.ts";
import { RECORD_KIND } from "./recording/record-lifecycle.ts";
import { recorderKind } from "./recording/recorder-kind.ts";
import { recorderRoute } from "./recording/recorder-route.ts";
import { lcicRecorderSimulator } from "./recording/recorder-simulator.ts";
import { startRecord } from "./recording/start-record.ts";
import { stopRecord } from "./recording/stop-record.ts";

const migrations = new URL("./migrations", import.meta.url).pathname;

export const lcic: Product = {
  name: "lcic",
  migrations,
  tencent: {
    service: "lcic",
    version: "2022-08-17",
    actions: [
      createRoom,
      describeRoom,
      modifyRoom,
      deleteRoom,
      startRoom,
      endRoom,
      getRooms,
      registerUser,
      batchRegister,
      loginUser,
      describeUser,
      deleteUser,
      describeSdkAppIdUsers,
      createGroupWithMembers,
      batchAddGroupMember,
      describeGroupMemberList,
      deleteGroup,
      describeCurrentMemberList,
      sendRoomNormalMessage,
      kickUserFromRoom,
      unblockKickedUser,
      getRoomEvent,
      getRoomMessage,
      describeRoomStatistics,
      // Issue 20, first half: rooms and entry, chat control, users, groups, supervisors.
      batchCreateRoom,
      loginUserWithRoom,
      loginOriginId,
      loginOriginIdWithRoom,
      forbidSendMsg,
      describeRoomForbiddenUser,
      sendRoomNotificationMessage,
      describeUserDetail,
      modifyUserProfile,
      addGroupMember,
      deleteGroupMember,
      batchDeleteGroupMember,
      describeGroup,
      describeGroupList,
      modifyGroup,
      batchCreateGroupWithMembers,
      createGroupWithSubGroup,
      createSupervisor,
      deleteSupervisor,
      describeSupervisors,
      describeQuestionList,
      describeAnswerList,
      describeScoreList,
      describePlayRecords,
      startRecord,
      stopRecord,
      describeRecord,
      describeRecordTask,
      describeRecordStream,
      deleteRecord,
      batchDeleteRecord,
      describePlaybackList,
      deletePlaybackItem,
      getPlaybackToken,
      batchGetPlaybackToken,
    ],
  },
  events: lcicEventTypes,
  jobs: lcicJobs,
  // Class recording: recorders through the agent protocol, with a simulated one.
  agentKinds: [recorderKind],
  workerSimulators: { [RECORD_KIND]: lcicRecorderSimulator },
  retention: [roomLogRetention],
  native: (ctx) => [recorderRoute(ctx)],
  adminRoutes: settingsRoutes,
};
