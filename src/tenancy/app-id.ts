// The shapes app ids take, each as its cloud issues them. A product declares its shape; an
// app of several products takes the first non-numeric shape among them.
import { hex, lowerAlnum } from "../ids.ts";

/** numeric: an integer SdkAppId/BizId from a sequence; lower-alnum-16: a TRRO ProjectId; hex-24: a Huawei app id. */
export type AppIdShape = "numeric" | "lower-alnum-16" | "hex-24";

/** The id of a new app, or null when it is numeric (the caller draws it from the sequence). */
export function randomAppId(shape: AppIdShape): string | null {
  if (shape === "lower-alnum-16") return lowerAlnum(16);
  if (shape === "hex-24") return hex(12);
  return null;
}
