// Timeouts of every listener, public and admin (issue 16, item 2): without them a client that
// sends half its headers, or starts a body and stops, holds its connection (and, on a native
// write path, its slot) for ever. Three bounds:
// - headers: the request line and headers must arrive within this time (Node's headersTimeout);
// - request: the whole request, body included, within this time (Node's requestTimeout,
//   which Fastify turns off unless given);
// - body idle: once a body has started, some of it must arrive within this time (a guard on
//   the body stream, below: Node has no such bound, and its socket timeout would also cut a
//   request whose handler is busy).
// The first two are answered from the socket (framework-errors.ts, 408 in the path's
// envelope); the last goes through the route's own error handler, in its protocol's envelope.
// Every answer closes the connection.
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { Server as TlsServer } from "node:tls";
import { Transform, type Readable } from "node:stream";
import type { FastifyInstance } from "fastify";

export interface ListenerTimeouts {
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  bodyIdleTimeoutMs: number;
}

/** The error a body-idle timeout ends a body with: 408, `code` for the error handlers. */
export const BODY_IDLE = "ROOMLEDGER_BODY_IDLE";

/** Options for http(s).createServer (Fastify's `http`/`https`); Fastify's own `requestTimeout` must be given too. */
export function serverTimeouts(t: ListenerTimeouts): {
  headersTimeout: number;
  requestTimeout: number;
  connectionsCheckingInterval: number;
} {
  // Node checks both bounds every connectionsCheckingInterval (30 s by default): a quarter of
  // the shorter one keeps an expiry within 25 % of its bound.
  const shorter = Math.min(t.headersTimeoutMs, t.requestTimeoutMs);
  return {
    headersTimeout: t.headersTimeoutMs,
    requestTimeout: t.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(30_000, Math.max(25, Math.floor(shorter / 4))),
  };
}

/** The body-idle bound on every route of this listener (add it before the routes are registered). */
export function guardBodyIdle(app: FastifyInstance, ms: number): void {
  if (ms <= 0) return;
  // A callback hook, not an async one: no promise per request.
  app.addHook("preParsing", (req, reply, payload, done) =>
    boundBodyIdle(
      req.raw,
      payload,
      ms,
      () => void reply.header("connection", "close"),
      (body) => done(null, body),
    ),
  );
}

/**
 * Hands `use` the body stream of `req` (`payload`), guarded by the body-idle bound when it is
 * not whole yet; `onIdle` runs before the guard fails the stream with BODY_IDLE. The Fastify
 * routes' hook above and the Tencent gateway (which serves its path without Fastify) both read
 * their bodies through it.
 */
export function boundBodyIdle(
  req: IncomingMessage,
  payload: Readable,
  ms: number,
  onIdle: () => void,
  use: (body: Readable) => void,
): void {
  // Called as soon as the headers are parsed, before the rest of their chunk (Node drains the
  // tick and microtask queues in between): the verdict waits for the next turn of the event
  // loop, after the reads. A small body that came with its headers is complete by then and
  // needs no guard (a Transform, two timers and their listeners per request: issue 22).
  if (ms <= 0 || req.complete) {
    use(payload); // the whole body is already here
    return;
  }
  setImmediate(() => use(req.complete ? payload : idleGuarded(payload, ms, onIdle)));
}

function idleGuarded(payload: Readable, ms: number, onIdle: () => void): Readable {
  let last = Date.now();
  let over = false; // the body ended, failed or was closed: no verdict any more
  const guard = new Transform({
    transform(chunk, _enc, done) {
      last = Date.now();
      done(null, chunk);
    },
    flush(done) {
      stop();
      done();
    },
  });
  // Timers run before the event loop reads its sockets: on a loaded machine a late timer
  // would find bytes that arrived in time still unread. The verdict waits for one turn of
  // the loop (setImmediate runs after the reads) and counts from the last byte seen.
  const check = () =>
    setImmediate(() => {
      if (over) return;
      const quiet = Date.now() - last;
      // Bytes waiting on our side (the reader is behind): the client is not the idle one.
      const behind = payload.readableLength > 0 || guard.writableLength > 0 || guard.readableLength > 0;
      if (quiet < ms || behind) {
        timer = setTimeout(check, behind ? ms : ms - quiet);
        return;
      }
      payload.unpipe(guard);
      payload.pause();
      onIdle();
      guard.destroy(Object.assign(new Error(`no part of the request body arrived for ${ms} ms`), { statusCode: 408, code: BODY_IDLE }));
    });
  let timer = setTimeout(check, ms);
  const stop = () => {
    over = true;
    clearTimeout(timer);
  };
  payload.once("error", (err) => {
    stop();
    guard.destroy(err);
  });
  payload.once("close", stop);
  guard.once("close", stop);
  return payload.pipe(guard);
}

/**
 * A listener's shutdown that does not wait out the keep-alive. Node's `server.close()` closes
 * the connections idle at that moment, once; a connection whose request was in flight then
 * answers it and goes idle, kept alive, and the close waits for its keep-alive timeout (72 s):
 * a SIGTERM while a worker's heartbeat was in flight took that long. From the close on, the
 * connections that have gone idle are closed every CLOSE_IDLE_EVERY_MS until the listener is
 * closed.
 *
 * Nor does it wait for a request whose headers never complete (a client stopped or aborted
 * mid-headers): Node stops checking its headers timeout at the close, and such a connection
 * is neither idle nor answering, so the close waited 72 s for it too. It gets
 * min(CLOSING_HEADERS_GRACE_MS, the headers bound) from the close to complete them (a request
 * whose bytes are in transit is then answered as any other during the close), then the headers
 * timeout's own answer (framework-errors.ts: 408 or its path's envelope) and the connection's
 * end, and the same grace again before the socket is destroyed.
 */
export function closeIdleWhileClosing(app: FastifyInstance, headersTimeoutMs: number): void {
  const server = app.server;
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
  };
  // Under TLS, the sockets that carry HTTP are the secure ones.
  server.on(server instanceof TlsServer ? "secureConnection" : "connection", track);
  app.addHook("preClose", (done) => {
    const grace = Math.min(CLOSING_HEADERS_GRACE_MS, headersTimeoutMs);
    const midHeaders = new Map<Socket, number>(); // socket → when it was first seen so
    const timer = setInterval(() => {
      server.closeIdleConnections();
      const now = Date.now();
      for (const socket of open) {
        // Node's response in progress on the socket (an internal field, stable since Node 0.x):
        // a request is being answered, or was answered and the connection is idle (closed just above).
        if (socket.destroyed || (socket as Socket & { _httpMessage?: unknown })._httpMessage) {
          midHeaders.delete(socket);
          continue;
        }
        const since = midHeaders.get(socket) ?? now;
        midHeaders.set(socket, since);
        if (now - since >= 2 * grace) socket.destroy();
        else if (now - since >= grace && socket.writable) {
          // What Node's own headers timeout does: the server's clientError, with its error code.
          const err = Object.assign(new Error("the request's headers did not arrive before the close"), {
            code: "ERR_HTTP_REQUEST_TIMEOUT",
          });
          server.emit("clientError", err, socket);
        }
      }
    }, CLOSE_IDLE_EVERY_MS);
    server.once("close", () => clearInterval(timer));
    done();
  });
}

const CLOSE_IDLE_EVERY_MS = 50;
const CLOSING_HEADERS_GRACE_MS = 1_000;
