// The callback settings of TIW's task families. Each family has its own URL and key, set by
// its own actions (the cloud's consoles show them apart), kept in callback_settings under
// its own product key; the push's stay under "tiw", as before.
export const PUSH_CALLBACKS = "tiw";
export const RECORD_CALLBACKS = "tiw-record";
export const VIDEO_GENERATION_CALLBACKS = "tiw-video-generation";
/** SetWarningCallback's URL and key. No warning is raised here yet (see the README). */
export const WARNING_CALLBACKS = "tiw-warning";

/** The callback addresses the Set*Callback actions accept: http:// or https:// URLs ("" deletes, checked before). */
export function isHttpUrl(s: string): boolean {
  if (!/^https?:\/\//i.test(s)) return false;
  try {
    return new URL(s).hostname !== "";
  } catch {
    return false;
  }
}
