// What a product declares for each Tencent Cloud API 3.0 action: its name, the schema of its
// request (which also types the handler) and the handler. One file per wire action holds one.
import type { Static, TSchema } from "@sinclair/typebox";
import type { ApiError } from "../../errors/api-error.ts";
import type { Account } from "../../tenancy/accounts.ts";
import type { ProductContext } from "../../product-context.ts";

export type Language = "en-US" | "zh-CN";

/** The product's context (server.ts builds one per product), and who is calling. */
export interface ActionContext<S = any> extends ProductContext<S> {
  account: Account;
  secretId: string;
  /** X-TC-Region / Region, or null when not sent. */
  region: string | null;
  language: Language;
  requestId: string;
}

/**
 * JSON text an action hands over as is (the store's own text, written by JSON.stringify): the
 * envelope splices it into the answer (envelope.ts); anything else that serialises it parses
 * it again (toJSON), so it is never a string inside the answer.
 */
export class JsonText {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/**
 * An answer whose first members are those of a stored flat JSON object (its text, as
 * JSON.stringify wrote it into a `json` column, which keeps text as given) less `omit`, whose
 * values are numbers, followed by `fields` (no name in both). The envelope splices the text
 * (envelope.ts): DescribeRoom's ~600-character configuration is neither parsed nor written
 * again per request (issue 22). Anything else that serialises it gets the same members (toJSON).
 */
export class StoredMembersAnswer {
  readonly stored: string;
  readonly omit: readonly string[];
  readonly fields: Record<string, unknown>;
  constructor(stored: string, omit: readonly string[], fields: Record<string, unknown>) {
    this.stored = stored;
    this.omit = omit;
    this.fields = fields;
  }
  toJSON(): Record<string, unknown> {
    const members = JSON.parse(this.stored) as Record<string, unknown>;
    for (const name of this.omit) delete members[name];
    return { ...members, ...this.fields };
  }
}

export type ActionResult = Record<string, unknown> | StoredMembersAnswer;

export interface TencentAction<S extends TSchema = TSchema> {
  name: string;
  request: S;
  /** Requests per second per (SecretId, Action); defaults to the configured 20. */
  rateLimit?: number;
  handler(req: Static<S>, ctx: ActionContext): Promise<ActionResult>;
}

/** Declares an action with its handler typed by its schema. */
export function defineAction<S extends TSchema>(action: TencentAction<S>): TencentAction<S> {
  return action;
}

export interface TencentService {
  /** Service name as in `<service>.tencentcloudapi.com`. */
  service: string;
  version: string;
  actions: readonly TencentAction<any>[];
  /** Rewrites the request validator's errors, for a service whose codes differ (TIW's type mismatch). */
  validationError?: (err: ApiError) => ApiError;
}
