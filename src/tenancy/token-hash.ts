// Credentials roomledger issues (ingest keys, admin tokens, Huawei tokens, worker credentials,
// lease tokens) are stored as this hash only.
import { createHash } from "node:crypto";

export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");
