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
const { HTTPParser } = createRequire(import.meta.url)("_http_common") as {
  HTTPParser: { kOnMessageBegin: number };
};
const kOnMessageBegin = HTTPParser.kOnMessageBegin;
/** The first bytes (enough for the method and the path's protocol) of the chunk the socket's current (or last) request began in. */
const requestStart = Symbol("roomledger.requestStart");
type Watched = Socket & { [requestStart]?: string; parser?: ParserSlots | null };
type ParserSlots = Record<number, unknown> & { socket: Watched | null; getCurrentBuffer(): Buffer };

function onMessageBegin(this: ParserSlots): void {
  // Parsers are pooled and shared with HTTP clients: only a watched server socket records.
  const socket = this.socket;
  if (socket && requestStart in socket) socket[requestStart] = this.getCurrentBuffer().toString("latin1", 0, 64);
}

function watch(socket: Watched): void {
  socket[requestStart] = "";
  if (socket.parser) socket.parser[kOnMessageBegin] = onMessageBegin;
}

/** Remembers where each request on the server's sockets starts (see above). */
export function trackRequestStarts(server: Server): void {
  // Node's own connection listener, registered first, has given the socket its parser.
  server.on("connection", watch); // plain HTTP; under TLS this is the raw socket, without a parser
  server.on("secureConnection", watch);
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
    const line = /^[A-Z]+ (\S+)/.exec((socket as Watched)[requestStart] ?? "");
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
