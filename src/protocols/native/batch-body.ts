// Batch bodies of the native APIs: a JSON array (application/json) or NDJSON
// (application/x-ndjson, application/jsonl), read whole up to the body limit with draining
// (read-body.ts), or as a stream of lines for the high-volume paths.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { nativeErrors, type BadEvent } from "../../errors/native.ts";
import { readBodyDraining } from "./read-body.ts";
import { boundaryViolation, describeViolation } from "../boundary.ts";

const BATCH_TYPES = ["application/json", "application/x-ndjson", "application/jsonl"] as const;
const STREAM_TYPES = ["application/x-ndjson", "application/jsonl"] as const;

const tooLarge = (limit: number) => () =>
  nativeErrors.payloadTooLarge(`the request body exceeds the limit of ${limit} bytes; send smaller batches`);

// A UTF-8 byte-order mark some tools (Windows editors, PowerShell) put first is not part of
// the first line or of the JSON: drop it, as RFC 8259 §8.1 allows a parser to.
const withoutBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** The scope's only parsers: batch bodies as text, read to their end even when too large. */
export function batchParsers(scope: FastifyInstance, limit: number): void {
  scope.removeAllContentTypeParsers();
  for (const type of BATCH_TYPES) {
    scope.addContentTypeParser(type, (_r, payload, done) =>
      readBodyDraining(payload, limit, tooLarge(limit), (err, body) => (err ? done(err) : done(null, withoutBom(body!.toString("utf8"))))),
    );
  }
}

/** The scope's only parsers: NDJSON left unread, for forEachLine. */
export function streamParsers(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  for (const type of STREAM_TYPES) scope.addContentTypeParser(type, (_req, payload, done) => done(null, payload));
}

/**
 * One NDJSON line read as the kit reads every event: JSON, then the boundary rule
 * (boundary.ts). For routes that read their stream themselves (forEachLine).
 */
export function parseLine(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: "line is not valid JSON" };
  }
  const violation = boundaryViolation(value);
  return violation ? { ok: false, reason: describeViolation(violation) } : { ok: true, value };
}

/** Splits NDJSON; a line that is not JSON makes the batch invalid with its index. */
function parseNdjson(text: string): { events: unknown[]; bad: BadEvent[] } {
  const events: unknown[] = [];
  const bad: BadEvent[] = [];
  let index = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      events.push(JSON.parse(line));
    } catch {
      bad.push({ index, reason: "line is not valid JSON" });
      events.push(undefined);
    }
    index++;
  }
  return { events, bad };
}

/**
 * The events of a batch body. A JSON body that is not a JSON array is refused here; NDJSON
 * lines that are not JSON come back in `bad` with their index.
 */
export function parseBatchBody(req: FastifyRequest): { events: unknown[]; bad: BadEvent[] } {
  const text = typeof req.body === "string" ? req.body : "";
  // The media type alone, without parameters: "application/jsonl" is NDJSON, not JSON.
  const mediaType = String(req.headers["content-type"] ?? "")
    .split(";")[0]!
    .trim()
    .toLowerCase();
  if (mediaType === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw nativeErrors.invalidJson("the body is not valid JSON");
    }
    if (!Array.isArray(parsed)) throw nativeErrors.invalidJson("the body must be a JSON array of events");
    return withinBoundary({ events: parsed, bad: [] });
  }
  return withinBoundary(parseNdjson(text));
}

/** The boundary rule (boundary.ts) on every event: a breaking one is bad, with its index and field. */
function withinBoundary(batch: { events: unknown[]; bad: BadEvent[] }): { events: unknown[]; bad: BadEvent[] } {
  batch.events.forEach((event, index) => {
    const violation = event === undefined ? null : boundaryViolation(event);
    if (violation) batch.bad.push({ index, reason: describeViolation(violation) });
  });
  batch.bad.sort((a, b) => a.index - b.index);
  return batch;
}

/**
 * Calls onLine for every line of an NDJSON stream, without holding the text whole. Over the
 * limit, the rest is read and dropped before the 413 (answering mid-upload makes the client
 * see EPIPE instead), up to a drain limit past which the connection is cut.
 */
export async function forEachLine(body: unknown, limit: number, onLine: (text: string) => void): Promise<void> {
  if (!body || typeof (body as Readable).on !== "function") {
    throw nativeErrors.unsupportedMediaType("send application/x-ndjson, one sample per line");
  }
  const stream = body as Readable;
  const decoder = new StringDecoder("utf8");
  const overLimit = () => nativeErrors.payloadTooLarge(`the body exceeds ${limit} bytes; send smaller requests`);
  let rest = "";
  let bytes = 0;
  let first = true;
  for await (const chunk of stream) {
    bytes += (chunk as Buffer).length;
    if (bytes > limit) {
      rest = "";
      if (bytes > Math.max(4 * limit, 64 * 1024 * 1024)) {
        stream.destroy();
        throw overLimit();
      }
      continue;
    }
    const decoded = decoder.write(chunk as Buffer);
    const text = rest + (first ? withoutBom(decoded) : decoded);
    if (decoded !== "") first = false;
    let start = 0;
    for (let nl = text.indexOf("\n", start); nl >= 0; nl = text.indexOf("\n", start)) {
      onLine(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (bytes > limit) throw overLimit();
  onLine(rest + decoder.end());
}
