// Chat messages of a room (GetRoomMessage). Each gets the room's next Seq in arrival order:
// Seq is unique in the room and increases monotonically, as Tencent's docs say.
import type { Queryable } from "../../../storage/db.ts";

export interface MessageItem {
  MessageType: number;
  TextMessage?: string;
  ImageMessage?: string;
  CustomMessage?: { Data: string; Desc: string; Ext: string };
}

export async function insertMessages(
  q: Queryable,
  appId: string,
  roomId: number,
  messages: { ctime: number; from: string; body: MessageItem[]; id: string }[],
): Promise<void> {
  if (messages.length === 0) return;
  // Within one batch, in the order they happened.
  const sorted = [...messages].sort((a, b) => a.ctime - b.ctime || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const res = await q.query<{ msg_seq: number }>(
    "update lcic_rooms set msg_seq = msg_seq + $3 where app_id = $1 and room_id = $2 returning msg_seq",
    [appId, roomId, sorted.length],
  );
  const last = Number(res.rows[0]!.msg_seq);
  const first = last - sorted.length + 1;
  await q.query(
    `insert into lcic_messages (app_id, room_id, seq, ctime, from_account, body)
     select $1, $2, * from unnest($3::bigint[], $4::bigint[], $5::text[], $6::json[])`,
    [
      appId,
      roomId,
      sorted.map((_, i) => first + i),
      sorted.map((m) => m.ctime),
      sorted.map((m) => m.from),
      sorted.map((m) => JSON.stringify(m.body)),
    ],
  );
}

export interface MessageRow {
  seq: number;
  ctime: number;
  from_account: string;
  body: MessageItem[];
}

/** Up to `limit` messages before `beforeSeq` (null: the latest), of one sender (null: any), newest first. */
export async function messagesBefore(
  q: Queryable,
  appId: string,
  roomId: number,
  opts: { beforeSeq: number | null; from: string | null; limit: number },
): Promise<MessageRow[]> {
  const rows = await q.query<MessageRow>(
    `select seq, ctime, from_account, body from lcic_messages
     where app_id = $1 and room_id = $2 and ($3::bigint is null or seq < $3) and ($4::text is null or from_account = $4)
     order by seq desc limit $5`,
    [appId, roomId, opts.beforeSeq, opts.from, opts.limit],
  );
  return rows.rows;
}

/** SendRoomNotificationMessage: a system notification of the room (not part of its chat history). */
export async function insertNotification(q: Queryable, appId: string, roomId: number, ctime: number, content: string): Promise<void> {
  await q.query("insert into lcic_notifications (app_id, room_id, ctime, content) values ($1, $2, $3, $4)", [
    appId,
    roomId,
    ctime,
    content,
  ]);
}
