// The benchmark's baseline: a bare node:http server that reads the request body and answers
// the same JSON envelope as the gateway's Echo, with no signature, validation or framework.
import { randomUUID } from "node:crypto";
import http from "node:http";

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    let input: { Message?: string; Count?: number } = {};
    try {
      input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      // answer anyway: the baseline measures transport and JSON only
    }
    const body = JSON.stringify({
      Response: {
        Message: input.Message ?? "",
        Count: input.Count ?? 1,
        Tags: [],
        Level: null,
        NestedId: null,
        Region: req.headers["x-tc-region"] ?? null,
        AccountId: "acc-bare",
        Now: Math.floor(Date.now() / 1000),
        RequestId: randomUUID(),
      },
    });
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const addr = server.address();
  process.stdout.write(`bare listening on ${typeof addr === "object" && addr ? addr.port : 0}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
