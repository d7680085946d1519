// ModifyCallbackUrl: where the project's cloud recording and live publishing callbacks go
// (task-callbacks.ts), and the key that signs them (TRTC's Sign header, trtc-callback.ts).
// CallbackUrl "" stops the callbacks. SignKey left out keeps the key; "" removes it (the
// callbacks then carry no Sign). The answer is the real example's: Code 0, Msg "ok".
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { setCallbackSetting } from "../../callbacks/tencent-callback.ts";
import { ownProject } from "./project-access.ts";
import { ProjectId } from "./project-fields.ts";
import { trroErrors } from "./errors.ts";

export const modifyCallbackUrl = defineAction({
  name: "ModifyCallbackUrl",
  request: Type.Object({
    ProjectId,
    CallbackUrl: Type.String({ maxLength: 1024 }),
    // TRTC's callback keys: at most 32 letters and digits.
    SignKey: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9]{0,32}$" })),
  }),
  async handler(req, ctx) {
    if (req.CallbackUrl !== "" && !isHttpUrl(req.CallbackUrl)) throw trroErrors.invalidValue("CallbackUrl", "an http or https URL");
    const { app } = await ownProject(ctx, req.ProjectId);
    await setCallbackSetting(ctx.db, app.appId, "trro", { url: req.CallbackUrl, key: req.SignKey });
    return { Code: 0, Msg: "ok" };
  },
});

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
  } catch {
    return false;
  }
}
