// The load generator's ceiling: the cheapest HTTP server Node can be, a raw TCP server that
// answers each request it sees (counted by its blank line; wrk does not pipeline) with the
// same canned bytes, parsing nothing. The client is the bottleneck against it, or close to.
import net from "node:net";

const body = '{"Response":{"RequestId":"00000000-0000-0000-0000-000000000000"}}';
const answer = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
const END = Buffer.from("\r\n\r\n");

const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  socket.on("data", (chunk: Buffer) => {
    // One answer per request head in the chunk (bodies are small JSON without blank lines).
    for (let i = chunk.indexOf(END); i >= 0; i = chunk.indexOf(END, i + 4)) socket.write(answer);
  });
  socket.on("error", () => socket.destroy());
});
server.listen(0, "127.0.0.1", () => {
  const addr = server.address();
  process.stdout.write(`trivial listening on ${typeof addr === "object" && addr ? addr.port : 0}\n`);
});
process.on("SIGTERM", () => process.exit(0));
