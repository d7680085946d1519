// One page of a window's sessions and its Total (DescribeDeviceSessionList,
// DescribeRecentSessionList), both read in one snapshot so that Total and the page agree.
import type { Db } from "../../storage/db.ts";
import type { MsWindow } from "./session-window.ts";
import { countSessions, pageSessions, windowParams, type SessionRow } from "./session-queries.ts";
import { pageOffset } from "./wire-format.ts";

export async function sessionPage(
  db: Db,
  appId: string,
  w: MsWindow,
  deviceId: string | undefined,
  pageNumber: number,
  pageSize: number,
): Promise<{ total: number; rows: SessionRow[] }> {
  return db.transaction(async (tx) => {
    await tx.query("set transaction isolation level repeatable read");
    const p = await windowParams(tx, appId, w, deviceId);
    const offset = pageOffset(pageNumber, pageSize);
    const rows = await pageSessions(tx, p, pageSize, offset);
    // A short page that is not past the end is the last one: in this snapshot the total is
    // its offset plus its rows, and the count query is not needed.
    const total = rows.length < pageSize && (rows.length > 0 || pageNumber === 1) ? offset + rows.length : await countSessions(tx, p);
    return { total, rows };
  });
}
