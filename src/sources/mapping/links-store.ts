// Source credentials: how a media server proves which app it feeds. One key id belongs to
// one app. LiveKit signs its webhooks with an HMAC of its API secret, so that secret must be
// kept as given; a basic-auth password (Janus's event handler) is only compared, so only its
// SHA-256 is kept.
import { createHash, timingSafeEqual } from "node:crypto";
import type { Queryable } from "../../storage/db.ts";

export const SOURCE_KINDS = ["livekit", "janus"] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Kinds whose secret is a signing key (kept as given); the others keep a hash. */
const SIGNING_KINDS: ReadonlySet<string> = new Set(["livekit"]);

const sha256 = (s: string): Buffer => createHash("sha256").update(s, "utf8").digest();

export interface SourceLink {
  kind: string;
  keyId: string;
  appId: string;
  createdAt: number;
}

/**
 * Links (or re-links with a new secret) a key id to an app. Returns the app the key id
 * already belongs to when that is another app: nothing is changed then.
 */
export async function linkSource(
  q: Queryable,
  link: { kind: SourceKind; keyId: string; secret: string; appId: string; now: number },
): Promise<{ ok: true } | { ok: false; ownerAppId: string }> {
  const signing = SIGNING_KINDS.has(link.kind);
  const res = await q.query<{ app_id: string }>(
    `insert into source_links (kind, key_id, app_id, secret, secret_hash, created_at) values ($1, $2, $3, $4, $5, $6)
     on conflict (kind, key_id) do update set secret = excluded.secret, secret_hash = excluded.secret_hash
       where source_links.app_id = excluded.app_id
     returning app_id`,
    [link.kind, link.keyId, link.appId, signing ? link.secret : null, signing ? null : sha256(link.secret).toString("hex"), link.now],
  );
  if (res.rows.length > 0) return { ok: true };
  const owner = await q.query<{ app_id: string }>("select app_id from source_links where kind = $1 and key_id = $2", [
    link.kind,
    link.keyId,
  ]);
  return { ok: false, ownerAppId: owner.rows[0]!.app_id };
}

export async function unlinkSource(q: Queryable, kind: string, keyId: string, appId: string): Promise<boolean> {
  const res = await q.query("delete from source_links where kind = $1 and key_id = $2 and app_id = $3", [kind, keyId, appId]);
  return res.rowCount > 0;
}

export async function linksOf(q: Queryable, appId: string): Promise<SourceLink[]> {
  const res = await q.query<{ kind: string; key_id: string; app_id: string; created_at: string }>(
    "select kind, key_id, app_id, created_at from source_links where app_id = $1 order by kind, key_id",
    [appId],
  );
  return res.rows.map((r) => ({ kind: r.kind, keyId: r.key_id, appId: r.app_id, createdAt: Number(r.created_at) }));
}

/** A signing kind's secret (LiveKit's API secret) and app, by key id; null if unknown. */
export async function signingSecret(q: Queryable, kind: string, keyId: string): Promise<{ appId: string; secret: string } | null> {
  const res = await q.query<{ app_id: string; secret: string | null }>(
    "select app_id, secret from source_links where kind = $1 and key_id = $2",
    [kind, keyId],
  );
  const r = res.rows[0];
  return r?.secret ? { appId: r.app_id, secret: r.secret } : null;
}

/** The app of a (key id, password) pair of a hashed kind (Janus basic auth); null if wrong. */
export async function appOfPassword(q: Queryable, kind: string, keyId: string, password: string): Promise<string | null> {
  const res = await q.query<{ app_id: string; secret_hash: string | null }>(
    "select app_id, secret_hash from source_links where kind = $1 and key_id = $2",
    [kind, keyId],
  );
  const r = res.rows[0];
  if (!r?.secret_hash) return null;
  return timingSafeEqual(Buffer.from(r.secret_hash, "hex"), sha256(password)) ? r.app_id : null;
}
