// Runs Tencent calls through the Python SDK driver (tencent_sdk.py) under every signing
// method and HTTP method, and checks each answer against the Node SDK's for the same call.
import assert from "node:assert/strict";
import type { TestServer } from "../support/server.ts";
import { runScript } from "./python.ts";

export const SIGN_METHODS = ["TC3-HMAC-SHA256", "HmacSHA256", "HmacSHA1"] as const;
export const REQ_METHODS = ["POST", "GET"] as const;

export interface Case {
  /** What is being asked, for messages. */
  name: string;
  params: Record<string, unknown>;
  /** "ok", or the error code the cloud documents for it. */
  expect: string;
  /** The Node SDK's answer to the same call (success body without RequestId, or the error). */
  node: { ok?: Record<string, unknown>; code?: string; message?: string };
}

export interface Product {
  product: string;
  version: string;
  action: string;
}

type PyResult = { ok?: Record<string, unknown>; error?: { code: string; message: string; requestId: string } };

/** Tallies of what a client exercised, printed at the end of a suite for the note. */
export class Tally {
  readonly actions = new Set<string>();
  readonly errors = new Set<string>();
  calls = 0;
  line(client: string): string {
    return `${client}: ${this.actions.size} actions (${[...this.actions].join(", ")}), ${this.errors.size} error cases, ${this.calls} calls`;
  }
}

/** Node SDK outcome of a call, in the shape Case.node wants. */
export async function nodeOutcome(p: Promise<Record<string, unknown>>): Promise<Case["node"]> {
  try {
    const { RequestId: _r, ...ok } = await p;
    return { ok };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    return { code: e.code, message: e.message };
  }
}

/**
 * The Python model's answer equals the Node SDK's: every field Node got has the same value,
 * and a field of the Python model that roomledger does not return is None (null).
 */
export function sameAnswer(py: unknown, node: unknown, path: string): void {
  if (Array.isArray(node)) {
    assert.ok(Array.isArray(py), `${path}: Python has ${JSON.stringify(py)}`);
    assert.equal(py.length, node.length, `${path}: length`);
    node.forEach((n, i) => sameAnswer(py[i], n, `${path}[${i}]`));
  } else if (node !== null && typeof node === "object") {
    assert.ok(py !== null && typeof py === "object", `${path}: Python has ${JSON.stringify(py)}`);
    const p = py as Record<string, unknown>;
    for (const [k, v] of Object.entries(node)) {
      assert.ok(k in p, `${path}.${k}: the Python model has no such field`);
      sameAnswer(p[k], v, `${path}.${k}`);
    }
    for (const k of Object.keys(p)) if (!(k in node)) assert.equal(p[k], null, `${path}.${k}: only Python has it`);
  } else {
    assert.deepEqual(py, node, path);
  }
}

/**
 * Every case under every signing method over POST and GET (or those given) through the
 * Python SDK; each answer must be the expected outcome and the Node SDK's.
 */
export async function checkCases(
  server: TestServer,
  p: Product,
  cases: Case[],
  tally: Tally,
  o: { protocol?: "http" | "https"; certification?: string; signMethods?: readonly string[]; reqMethods?: readonly string[] } = {},
): Promise<void> {
  for (const c of cases) {
    // The reference itself must be what the cloud documents, or the comparison means little.
    if (c.expect === "ok") assert.ok(c.node.ok, `${c.name}: the Node SDK got ${c.node.code}`);
    else assert.equal(c.node.code, c.expect, `${c.name}: the Node SDK's code`);
  }
  const calls = cases.flatMap((c) =>
    (o.signMethods ?? SIGN_METHODS).flatMap((signMethod) =>
      (o.reqMethods ?? REQ_METHODS).map((reqMethod) => ({ ...p, params: c.params, signMethod, reqMethod, c })),
    ),
  );
  const results = await runScript<PyResult[]>("tencent-sdk", "tencent_sdk.py", {
    endpoint: server.endpoint,
    protocol: o.protocol ?? "http",
    certification: o.certification ?? null,
    secretId: server.secretId,
    secretKey: server.secretKey,
    calls: calls.map(({ c: _c, ...call }) => call),
  });
  assert.equal(results.length, calls.length);
  tally.actions.add(`${p.product}.${p.action}`);
  tally.calls += calls.length;
  results.forEach((r, i) => {
    const { c, signMethod, reqMethod } = calls[i]!;
    const where = `${p.action} ${c.name} (${signMethod} ${reqMethod})`;
    if (c.expect === "ok") {
      assert.ok(r.ok, `${where}: ${JSON.stringify(r.error)}`);
      const { RequestId, ...body } = r.ok;
      assert.match(String(RequestId), /^[0-9a-f-]{36}$/, where);
      sameAnswer(body, c.node.ok, where);
    } else {
      assert.ok(r.error, `${where}: expected ${c.expect}, the Python SDK saw a success ${JSON.stringify(r.ok)}`);
      assert.equal(r.error.code, c.expect, where);
      assert.equal(r.error.message, c.node.message, where);
      assert.match(r.error.requestId, /^[0-9a-f-]{36}$/, where);
      tally.errors.add(`${p.action}:${c.expect}:${c.name}`);
    }
  });
}
