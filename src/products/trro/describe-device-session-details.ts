// DescribeDeviceSessionDetails: the metric series of each side of a session, optionally
// limited to [StartTime, EndTime] (Unix s, inclusive). The action takes no ProjectId: the
// project is the SessionId's prefix ("<ProjectId>-..."). A session of another account, or
// none, is a wrong SessionId value (InvalidParameterValue, documented for this action).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { trroErrors } from "./errors.ts";
import { checkWindow, UnixTime } from "./session-fields.ts";
import { msWindow } from "./session-window.ts";
import { getSession, sessionSamples } from "./session-queries.ts";
import { sessionDetails } from "./session-details.ts";

export const describeDeviceSessionDetails = defineAction({
  name: "DescribeDeviceSessionDetails",
  request: Type.Object({
    SessionId: Type.String({ minLength: 1, maxLength: 128 }),
    StartTime: Type.Optional(UnixTime),
    EndTime: Type.Optional(UnixTime),
  }),
  async handler(req, ctx) {
    checkWindow(req.StartTime, req.EndTime);
    const projectId = req.SessionId.split("-")[0]!;
    const found = await ctx.tenancy.lookupApp(projectId, ctx.account.accountId);
    if (found.kind !== "own" || !found.app.products.includes("trro")) throw trroErrors.sessionNotFound(req.SessionId);
    const db = ctx.db;
    const session = await getSession(db, projectId, req.SessionId);
    if (!session) throw trroErrors.sessionNotFound(req.SessionId);
    const w = msWindow(req.StartTime, req.EndTime);
    const samples = await sessionSamples(db, projectId, req.SessionId, w.fromMs, w.toMs);
    return { Details: sessionDetails(projectId, session, samples) };
  },
});
