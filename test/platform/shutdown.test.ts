// The public listener's shutdown on SIGTERM. A request for "/" that arrives on a connection
// kept alive into the shutdown is answered 503 with `Connection: close`, as Fastify answers
// every other path then (return503OnClosing), and not by the Tencent gateway, which is served
// before Fastify (server.ts): the store may already be closing under it. And a request in
// flight at the close is answered, then its connection closed: the shutdown does not wait out
// the 72 s keep-alive (listener-timeouts.ts, closeIdleWhileClosing). Nor does it wait for a
// request whose headers never complete: that one is answered 408 after a short grace.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { startServer } from "../support/server.ts";

/** A raw connection to the public listener, with all it received and its end. */
async function rawConnection(port: number) {
  const socket = connect(port, "127.0.0.1");
  const conn = { socket, received: "", ended: new Promise<void>((resolve) => socket.on("close", () => resolve())) };
  socket.setEncoding("latin1");
  socket.on("data", (d: string) => (conn.received += d));
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return conn;
}

// Each connection's first request holds back its body, so that the connection is busy when
// the close begins.
const HELD = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n";

test("SIGTERM with requests for / in flight: each answered, a pipelined one 503, a half-sent one 408, no wait for the keep-alive", async () => {
  const server = await startServer();
  const pipelined = await rawConnection(server.port);
  const inFlight = await rawConnection(server.port);
  const halfSent = await rawConnection(server.port);
  pipelined.socket.write(HELD);
  inFlight.socket.write(HELD);
  // Its headers never complete: Node's own headers timeout stops being checked at the close,
  // and the connection is neither idle nor answering, so the close used to wait 72 s for it.
  halfSent.socket.write("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl");
  await sleep(100);
  const stopped = server.stop(); // SIGTERM
  await sleep(300);
  pipelined.socket.write("{}GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  inFlight.socket.write("{}");
  // Not a benchmark: 20 s against the listener's 72 s keep-alive, which the close used to wait
  // out (and for ever for the half-sent request, whose client does not go away).
  const outcome = await Promise.race([stopped.then(() => "stopped"), sleep(20_000).then(() => "still waiting")]);
  if (outcome !== "stopped") {
    for (const conn of [pipelined, inFlight, halfSent]) conn.socket.destroy();
    await server.kill();
  }
  assert.equal(outcome, "stopped");
  await Promise.all([pipelined.ended, inFlight.ended, halfSent.ended]);

  const answers = pipelined.received.split(/(?=HTTP\/1\.1 )/);
  assert.equal(answers.length, 2, pipelined.received);
  // The first was in the gateway's hands before the close: its envelope (unsigned: an error).
  assert.match(answers[0]!, /^HTTP\/1\.1 200 /);
  assert.match(answers[0]!, /"Error":\{"Code":"AuthFailure/);
  assert.match(answers[1]!, /^HTTP\/1\.1 503 /);
  assert.match(answers[1]!, /\r\nconnection: close\r\n/i);

  assert.match(inFlight.received, /^HTTP\/1\.1 200 /);
  assert.match(inFlight.received, /"Error":\{"Code":"AuthFailure/);

  // In the envelope of its path, as Node's headers timeout is answered (framework-errors.ts).
  assert.match(halfSent.received, /^HTTP\/1\.1 200 /);
  assert.match(halfSent.received, /"Error":\{"Code":"InvalidParameter","Message":"The request did not arrive in time\."/);
});
