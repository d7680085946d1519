// Answers for requests no route sees (issue 16, item 9): a request line or headers past
// Node's limit (431, answered from the socket), a URL that is not correctly percent-encoded
// and a path parameter past the router's length (Fastify's frameworkErrors). Each gets the
// envelope of the protocol its path belongs to, as every other error does: Tencent at `/`
// (HTTP 200, Response.Error), Huawei under `/v1/` (error_code/error_msg/request_id and
// X-Request-Id), the native shape elsewhere.
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import type { Server, Socket } from "node:net";
import type { FastifyReply, FastifyRequest } from "fastify";
import { ApiError } from "../errors/api-error.ts";
import { nativeErrors } from "../errors/native.ts";
import { tencentErrors } from "../errors/tencent-common.ts";

type Protocol = "tencent" | "huawei" | "native";

function protocolOf(url: string): Protocol {
  const path = url.split("?")[0]!;
  if (path === "/" || path === "") return "tencent";
  if (path.startsWith("/v1/")) return "huawei";
  return "native";
}

/** The refusal of each protocol for one kind of unroutable request. */
const refusals = {
  // The Tencent gateway's own answer to an over-long GET query (gateway.ts), whatever the size.
  headersTooLarge: {
    tencent: () => tencentErrors.requestSizeLimitExceeded(32 * 1024),
    huawei: () => new ApiError("APIGW.0201", { message: "API request error: the request line and headers are too large", httpStatus: 431 }),
    native: () => new ApiError("HeadersTooLarge", { message: "the request line and headers are too large", httpStatus: 431 }),
  },
  badUrl: {
    tencent: () => tencentErrors.invalidParameterText("The URL is not correctly percent-encoded."),
    huawei: () => new ApiError("APIGW.0201", { message: "API request error: the URL is not correctly percent-encoded", httpStatus: 400 }),
    native: () => nativeErrors.badRequest("the URL is not correctly percent-encoded"),
  },
  // Headers or a whole request that did not arrive in time (listener-timeouts.ts). Tencent and
  // Huawei have no timeout code of their own: their generic request errors, as for a bad URL.
  timedOut: {
    tencent: () => tencentErrors.invalidParameterText("The request did not arrive in time."),
    huawei: () => new ApiError("APIGW.0201", { message: "API request error: the request did not arrive in time", httpStatus: 400 }),
    native: () => nativeErrors.requestTimeout("the request did not arrive in time"),
  },
  urlTooLong: {
    tencent: () => tencentErrors.invalidParameterText("A path segment of the URL is too long."),
    huawei: () => new ApiError("APIGW.0201", { message: "API request error: a path segment of the URL is too long", httpStatus: 414 }),
    native: () => nativeErrors.badRequest("a path segment of the URL is too long", 414),
  },
} satisfies Record<string, Record<Protocol, () => ApiError>>;

function render(protocol: Protocol, err: ApiError): { status: number; headers: Record<string, string>; body: string } {
  const requestId = randomUUID();
  if (protocol === "tencent") {
    const body = { Response: { Error: { Code: err.code, Message: err.messageFor("en-US") }, RequestId: requestId } };
    return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  }
  if (protocol === "huawei") {
    const id = requestId.replace(/-/g, "");
    const body = { error_code: err.code, error_msg: err.message, request_id: id };
    return { status: err.httpStatus, headers: { "content-type": "application/json", "x-request-id": id }, body: JSON.stringify(body) };
  }
  const body = { error: { code: err.code, message: err.message }, requestId };
  return { status: err.httpStatus, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(body) };
}

// Node's parser reports a header overflow with the chunk that overflowed, not the request
// line: the path is read from the chunk each request began in. Node's HTTP parser calls its
// `kOnMessageBegin` slot (null by default) at the first byte of every request, with that
// chunk as its current buffer. This replaces a `data` listener on every socket, which took
// the socket off Node's consumed parser: every chunk of every request then went through JS
// streams (issue 22). It leans on Node internals (`_http_common`'s HTTPParser, pinned with
// the `node` package); the envelope tests fail if Node changes them. With pipelined requests
// in one chunk, the chunk's first request line is read (as the `data` listener did).
//
// The chunk's bytes are copied only when they are needed: `getCurrentBuffer()` copies the
// whole chunk into a new Buffer (and sets its prototype through V8's slow path), ~1 µs of
// every request (issue 22, gw6's profile), while almost every request's headers complete in
// the chunk they began in. So, on a socket the parser consumes (plain HTTP), the message
// begin only notes the request then in progress, and the parser's `kOnExecute` slot (Node's
// own callback after each chunk, with the same chunk as its current buffer) copies the
// chunk's start only when the headers begun in it did not complete there; a request whose
// headers did complete is remembered by reference (its method and URL). A socket the parser
// does not consume (TLS: Node calls no `kOnExecute` for it) copies at the message begin, as before.
const { HTTPParser } = createRequire(import.meta.url)("_http_common") as {
  HTTPParser: { kOnMessageBegin: number; kOnExecute: number };
};
const kOnMessageBegin = HTTPParser.kOnMessageBegin;
const kOnExecute = HTTPParser.kOnExecute;
/** Where the socket's current (or last) request starts: the first bytes of its chunk (enough for the method and the path's protocol), or the request itself once its headers were read. */
const requestStart = Symbol("roomledger.requestStart");
/** Set by a message begin on a consumed parser until its chunk is executed: the parser's request at that moment (null: none). */
const begunAfter = Symbol("roomledger.begunAfter");
const NOT_BEGUN = undefined;
type Incoming = { method?: string; url?: string };
type Watched = Socket & { [requestStart]?: string | Incoming; [begunAfter]?: Incoming | null; parser?: ParserSlots | null };
type ParserSlots = Record<number, unknown> & {
  socket: Watched | null;
  incoming: Incoming | null;
  _consumed?: boolean;
  getCurrentBuffer(): Buffer;
};

const chunkStart = (parser: ParserSlots): string => parser.getCurrentBuffer().toString("latin1", 0, 64);

function onMessageBegin(this: ParserSlots): void {
  // Parsers are pooled and shared with HTTP clients: only a watched server socket records.
  const socket = this.socket;
  if (!socket || !(requestStart in socket)) return;
  if (this._consumed === true) socket[begunAfter] = this.incoming;
  else socket[requestStart] = chunkStart(this);
}

function watch(socket: Watched): void {
  socket[requestStart] = "";
  const parser = socket.parser;
  if (!parser) return;
  parser[kOnMessageBegin] = onMessageBegin;
  const executed = parser[kOnExecute];
  if (parser._consumed !== true || typeof executed !== "function") return;
  socket[begunAfter] = NOT_BEGUN;
  // Node's callback (bound to this socket and parser) runs right after: an error in this chunk
  // (a header overflow) reaches clientErrorHandler with the start recorded here.
  parser[kOnExecute] = (ret: unknown) => {
    const before = socket[begunAfter];
    if (before !== NOT_BEGUN) {
      socket[begunAfter] = NOT_BEGUN;
      const incoming = parser.incoming;
      // A new request object: the headers begun in this chunk completed in it.
      socket[requestStart] = incoming !== before && incoming !== null ? incoming : chunkStart(parser);
    }
    return (executed as (ret: unknown) => unknown)(ret);
  };
}

/** Remembers where each request on the server's sockets starts (see above). */
export function trackRequestStarts(server: Server): void {
  // Node's own connection listener, registered first, has given the socket its parser.
  server.on("connection", watch); // plain HTTP; under TLS this is the raw socket, without a parser
  server.on("secureConnection", watch);
}

/** The request line (its start) of the socket's current or last request, "" when none was seen. */
function requestLine(socket: Watched): string {
  const start = socket[requestStart];
  return typeof start === "object" ? `${start.method} ${start.url}` : (start ?? "");
}

/** Fastify's frameworkErrors: an undecodable URL, a path parameter past maxParamLength. */
export function frameworkErrors(err: Error & { code?: string }, req: FastifyRequest, reply: FastifyReply): void {
  const kind = err.code === "FST_ERR_MAX_PARAM_LENGTH" ? refusals.urlTooLong : refusals.badUrl;
  const protocol = protocolOf(req.raw.url ?? "/");
  const { status, headers, body } = render(protocol, kind[protocol]());
  void reply.code(status).headers(headers).send(body);
}

/**
 * Fastify's clientErrorHandler: what Node's HTTP parser refused. A request line and headers
 * past the limit (HPE_HEADER_OVERFLOW), and headers or a request not received in time
 * (ERR_HTTP_REQUEST_TIMEOUT, listener-timeouts.ts), are answered in the envelope of the path
 * read from the bytes received so far; anything else keeps Fastify's plain 400 and a closed socket.
 */
export function clientErrorHandler(err: Error & { code?: string; rawPacket?: Buffer }, socket: Socket): void {
  if (err.code === "ECONNRESET" || socket.destroyed || !socket.writable) return;
  const timedOut = err.code === "ERR_HTTP_REQUEST_TIMEOUT";
  if (err.code === "HPE_HEADER_OVERFLOW" || timedOut) {
    // A timed-out request may have been answered already (a request timeout mid-response): then only close.
    if ((socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    const line = /^[A-Z]+ (\S+)/.exec(requestLine(socket as Watched));
    const protocol = protocolOf(line?.[1] ?? "/ingest");
    const { status, headers, body } = render(protocol, (timedOut ? refusals.timedOut : refusals.headersTooLarge)[protocol]());
    const head = Object.entries({ ...headers, "content-length": String(Buffer.byteLength(body)), connection: "close" })
      .map(([k, v]) => `${k}: ${v}`)
      .join("\r\n");
    const reason =
      status === 200 ? "OK" : timedOut ? (status === 408 ? "Request Timeout" : "Bad Request") : "Request Header Fields Too Large";
    socket.end(`HTTP/1.1 ${status} ${reason}\r\n${head}\r\n\r\n${body}`);
    return;
  }
  const body = '{"error":{"code":"BadRequest","message":"the request is not valid HTTP"}}';
  socket.end(
    `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
  );
}
