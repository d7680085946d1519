// Tencent LCIC (低代码互动课堂, `lcic` 2022-08-17): rooms, users, groups, live activity
// through ingest events, history, callbacks and DescribeRoomStatistics.
import type { Product } from "../product.ts";
import { batchAddGroupMember } from "./batch-add-group-member.ts";
import { batchRegister } from "./batch-register.ts";
import { createGroupWithMembers } from "./create-group-with-members.ts";
import { createRoom } from "./create-room.ts";
import { deleteGroup } from "./delete-group.ts";
import { deleteRoom } from "./delete-room.ts";
import { deleteUser } from "./delete-user.ts";
import { describeCurrentMemberList } from "./describe-current-member-list.ts";
import { describeGroupMemberList } from "./describe-group-member-list.ts";
import { describeRoom } from "./describe-room.ts";
import { describeRoomStatistics } from "./describe-room-statistics.ts";
import { describeSdkAppIdUsers } from "./describe-sdk-app-id-users.ts";
import { describeUser } from "./describe-user.ts";
import { endRoom } from "./end-room.ts";
import { lcicEventTypes } from "./events.ts";
import { getRoomEvent } from "./get-room-event.ts";
import { getRoomMessage } from "./get-room-message.ts";
import { getRooms } from "./get-rooms.ts";
import { lcicJobs } from "./jobs.ts";
import { kickUserFromRoom } from "./kick-user-from-room.ts";
import { loginUser } from "./login-user.ts";
import { modifyRoom } from "./modify-room.ts";
import { registerUser } from "./register-user.ts";
import { sendRoomNormalMessage } from "./send-room-normal-message.ts";
import { settingsRoutes } from "./settings.ts";
import { startRoom } from "./start-room.ts";
import { unblockKickedUser } from "./unblock-kicked-user.ts";

const migrations = new URL("./migrations", import.meta.url).pathname;

export const lcic: Product = {
  name: "lcic",
  migrations,
  tencent: {
    service: "lcic",
    version: "2022-08-17",
    actions: [
      createRoom, describeRoom, modifyRoom, deleteRoom, startRoom, endRoom, getRooms,
      registerUser, batchRegister, loginUser, describeUser, deleteUser, describeSdkAppIdUsers,
      createGroupWithMembers, batchAddGroupMember, describeGroupMemberList, deleteGroup,
      describeCurrentMemberList, sendRoomNormalMessage, kickUserFromRoom, unblockKickedUser,
      getRoomEvent, getRoomMessage, describeRoomStatistics,
    ],
  },
  events: lcicEventTypes,
  jobs: lcicJobs,
  adminRoutes: settingsRoutes,
};
