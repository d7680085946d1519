// The attendance model: one for every media server (SFU) that feeds the ledger. This header
// is its API; it stays stable.
//
// A source adapter (src/sources/livekit/, src/sources/janus/) authenticates its request,
// reads the vendor's wire format and hands over normalised events:
//
//   import { type SourceEvent } from "../attendance/index.ts";
//   const ack = await kit.attendance.record(app, events);   // { received, accepted, duplicates }
//
// - SourceEvent (source-event.ts): { source: "janus", eventId: the source's own id (the same
//   id twice is one event: retries collapse), room: the SFU room name, identity: the
//   participant ("" for room events), connection: one connection of it (Janus session/handle
//   id, LiveKit participant sid; "" if unknown), kind, at: the SOURCE's timestamp in Unix ms,
//   extras?: { connectedAt?, media?: "audio"|"video"|"screen", ...anything JSON } }.
//   kind: "joined" | "left" | "aborted" (no presence at all) | "room-started" |
//   "room-finished" (closes open connections) | "media-on" | "media-off" (extras.media) |
//   "seen" (a sign of life, e.g. media stats: keeps the connection from timing out) |
//   "other" (kept, no effect).
// - record(app, events) checks every event first (a bad one refuses the whole batch with the
//   native InvalidBatch error, nothing stored), stores the new ones in source_events keyed by
//   (app, source, eventId), and in the same transaction recomputes every touched room from
//   ALL its events (presence.ts) and rewrites what the products show: LCIC members
//   (DescribeRoomStatistics, DescribeCurrentMemberList, GetRoomEvent; the room must exist,
//   as for ingest) when the app has LCIC, GME voice-room presence (DescribeRoomInfo,
//   DescribeUserInAndOutTime) when it has GME. Order of delivery and duplicates do not matter.
// - Mapping (../mapping/map-store.ts): the SFU room name is the cloud's RoomId and the
//   identity the UserId, unless an explicit mapping says otherwise (admin API
//   POST /admin/v1/sources/mappings, `roomledger source map`).
// - Settings per app and source (settings-store.ts): reconnect gap (presences of one identity
//   closer than it are one) and open timeout (an open connection unheard of that long closes
//   at its last event; a job re-derives the room when it runs out). Defaults in
//   DEFAULT_SETTINGS, by source name: add yours there.
// - Credentials (../mapping/links-store.ts): `roomledger source link --app X --kind janus
//   --key-id USER --secret PASSWORD` (admin POST /admin/v1/sources/links). For kind "janus"
//   the password is kept hashed; check a request with basicAuthAppId(req, db, "janus")
//   (../mapping/basic-auth.ts: the app id, or the native Unauthorized thrown). LiveKit's
//   secret is kept as given (it verifies an HMAC): signingSecret(db, "livekit", apiKey).
// - Routes: src/sources/routes.ts mounts each source's route under /ingest/v1 with the
//   SourcesKit (../kit.ts: db, attendance, tenancy, bodyLimit); add a source's route there.
export type { SourceEvent, SourceEventKind, SourceExtras, Media } from "./source-event.ts";
export { sourceEventProblem, SOURCE_EVENT_KINDS } from "./source-event.ts";
export { Attendance, TIMEOUT_JOB, feedKey, type AttendanceDeps, type RecordResult } from "./attendance.ts";
export { deriveAttendance, type AttendanceSettings, type Presence, type RawEvent, type RoomAttendance } from "./presence.ts";
export { DEFAULT_SETTINGS } from "./settings-store.ts";
