// RaiseInternalError (development only): a handler that fails the way a bug would (a plain
// Error, not an ApiError), so tests can see the gateway answer InternalError and keep serving.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";

export const raiseInternalError = defineAction({
  name: "RaiseInternalError",
  request: Type.Object({}),
  async handler() {
    throw new Error("RaiseInternalError: a deliberate unexpected failure");
  },
});
