// The Tencent Cloud API 3.0 envelope: always HTTP 200, {"Response": {..., "RequestId"}},
// errors as Response.Error {Code, Message} (reference §4).
//
// Content-Type is exactly `application/json`, as the cloud sends it: the Python SDK (and
// tccli on top of it) reads Response.Error only when the header equals that string (or
// `text/plain`), so a `; charset=utf-8` turns every error into an empty success. The answer
// leaves as one string with its length, which Node writes in one piece with the status line
// and headers (a Buffer went out as a second chunk of a writev, after a copy: issue 22).
//
// A large answer (a top-level array of more than BIG_ARRAY elements, e.g. a 1000-record
// statistics page of 391 KB) is serialised element by element into Buffers of at most CHUNK
// bytes, written as UTF-8 straight into them (class Pieces): one 391 KB string (V8's
// large-object space, fresh pages faulted in on every answer) and its one 391 KB UTF-8 copy on
// the way to the socket cost more than the serialisation itself on this machine (issue 22,
// read3's measure). An element that is a JsonText (the store's own JSON text) is spliced as
// is, in a small answer too, not parsed and serialised again. The bytes are JSON.stringify's (same order, same
// null-vs-absent): test/platform/envelope-pieces.test.ts.
import type { ServerResponse } from "node:http";
import type { ApiError } from "../../errors/api-error.ts";
import { type ActionResult, JsonText, type Language, StoredMembersAnswer } from "./action.ts";

/** An envelope's body: one string, or a large answer's pieces (UTF-8). */
export type EnvelopeBody = string | Buffer[];

const CHUNK = 32 * 1024;
const BIG_ARRAY = 256;

export function resultBody(requestId: string, result: ActionResult): EnvelopeBody {
  if (result instanceof StoredMembersAnswer) return storedMembersBody(requestId, result);
  const response = { ...result, RequestId: requestId };
  if (!needsPieces(response)) return JSON.stringify({ Response: response });
  return pieces(response);
}

export function errorBody(requestId: string, err: ApiError, language: Language): string {
  return JSON.stringify({ Response: { Error: { Code: err.code, Message: err.messageFor(language) }, RequestId: requestId } });
}

/**
 * `{"Response":{<the stored members less omit>,<fields>,"RequestId":...}}`, the stored text
 * spliced: the same bytes as JSON.stringify of the parsed members, the fields and RequestId
 * (test/platform/envelope-stored-members.test.ts). Text that is not one object from brace to
 * brace, or a member to omit whose value is not a number (neither is what the store writes),
 * sends the answer the general way.
 */
function storedMembersBody(requestId: string, a: StoredMembersAnswer): string {
  const whole = a.stored.startsWith("{") && a.stored.endsWith("}");
  let members: string | null = whole ? a.stored.slice(1, -1) : null;
  for (let i = 0; i < a.omit.length && members !== null; i++) members = withoutNumberMember(members, a.omit[i]!);
  if (members === null) return JSON.stringify({ Response: { ...a.toJSON(), RequestId: requestId } });
  const rest = JSON.stringify({ ...a.fields, RequestId: requestId });
  return `{"Response":{${members}${members === "" ? "" : ","}${rest.slice(1)}}`;
}

const JSON_NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * A flat object's members (its JSON text between the braces) without the member `name`, if
 * there; null if its value is not a number. The key is found as `,"name":` or at the start:
 * a comma followed by a quote cannot occur inside a JSON string (every quote in one is escaped).
 */
function withoutNumberMember(members: string, name: string): string | null {
  const key = `${JSON.stringify(name)}:`;
  const at = members.startsWith(key) ? 0 : members.indexOf(`,${key}`);
  if (at === -1) return members;
  const valueAt = at === 0 ? key.length : at + 1 + key.length;
  JSON_NUMBER.lastIndex = valueAt;
  if (!JSON_NUMBER.test(members)) return null;
  let end = JSON_NUMBER.lastIndex;
  if (end < members.length && members[end] !== ",") return null;
  // The first member takes the comma after it; any other, the one before it.
  if (at === 0 && end < members.length) end++;
  return members.slice(0, at) + members.slice(end);
}

/** A top-level array that is big or holds a JsonText (no allocation: on every answer's path). */
function needsPieces(response: Record<string, unknown>): boolean {
  for (const k in response) {
    const v = response[k];
    if (!Array.isArray(v)) continue;
    if (v.length > BIG_ARRAY) return true;
    for (let i = 0; i < v.length; i++) if (v[i] instanceof JsonText) return true;
  }
  return false;
}

const textOf = (v: unknown): string | undefined => (v instanceof JsonText ? v.text : JSON.stringify(v));

/**
 * The answer's texts, appended in order: one string while it stays within CHUNK characters (a
 * small answer with stored JSON text stays one string, as any other small answer); past that,
 * UTF-8 written straight into Buffers of CHUNK bytes, each text whole in one of them. Before
 * (read8), the texts were concatenated into ~32 K-character strings, each flattened and then
 * copied into a Buffer: a 1000-record page made 391 KB of strings in V8's young generation per
 * answer, alive while 32 pages were in flight together, on top of the bytes (issue 22).
 */
class Pieces {
  private part = "";
  private out: Buffer[] | null = null;
  private buf = EMPTY;
  private at = 0;
  add(t: string): void {
    if (this.out !== null) {
      this.write(t);
      return;
    }
    if (this.part.length + t.length <= CHUNK) {
      this.part += t;
      return;
    }
    this.out = [];
    const first = this.part;
    this.part = "";
    this.write(first);
    this.write(t);
  }
  private write(t: string): void {
    // A UTF-16 code unit is at most 3 UTF-8 bytes: the exact length is counted only near a Buffer's end.
    if (this.buf.length - this.at < 3 * t.length) {
      const n = Buffer.byteLength(t);
      if (this.buf.length - this.at < n) {
        if (this.at > 0) this.out!.push(this.buf.subarray(0, this.at));
        this.buf = Buffer.allocUnsafeSlow(Math.max(CHUNK, n));
        this.at = 0;
      }
    }
    this.at += this.buf.write(t, this.at);
  }
  body(): EnvelopeBody {
    if (this.out === null) return this.part;
    if (this.at > 0) this.out.push(this.buf.subarray(0, this.at));
    return this.out;
  }
}
const EMPTY = Buffer.alloc(0);

/** The answer `{"Response": response}`: one string, or Buffers of at most CHUNK bytes (a text longer than that: its own). */
export function pieces(response: Record<string, unknown>): EnvelopeBody {
  const out = new Pieces();
  out.add('{"Response":{');
  let first = true;
  for (const k of Object.keys(response)) {
    const v = response[k];
    if (Array.isArray(v) && (v.length > BIG_ARRAY || v.some((e) => e instanceof JsonText))) {
      out.add(`${first ? "" : ","}${JSON.stringify(k)}:[`);
      // An undefined (or function) element is null, as JSON.stringify writes it.
      for (let i = 0; i < v.length; i++) {
        if (i) out.add(",");
        out.add(textOf(v[i]) ?? "null");
      }
      out.add("]");
    } else {
      const t = JSON.stringify(v);
      if (t === undefined) continue; // an undefined field is absent, as JSON.stringify leaves it
      out.add(`${first ? "" : ","}${JSON.stringify(k)}:${t}`);
    }
    first = false;
  }
  out.add("}}");
  return out.body();
}

/** Writes an envelope; `trace`: the caller's X-TC-TraceId, echoed; `close`: the connection is not reused. */
export function sendEnvelope(res: ServerResponse, body: EnvelopeBody, trace: string | undefined, close: boolean): void {
  let length = 0;
  if (typeof body === "string") length = Buffer.byteLength(body);
  else for (const b of body) length += b.length;
  const headers: Record<string, string | number> = { "content-type": "application/json", "content-length": length };
  if (trace !== undefined) headers["x-tc-traceid"] = trace;
  if (close) headers.connection = "close";
  res.writeHead(200, headers);
  if (typeof body === "string") return void res.end(body);
  // The pieces go out in order, each as its own chunk (Node queues them behind the headers);
  // a HEAD answer drops them, as end(body) does.
  for (const b of body) res.write(b);
  res.end();
}
