// A baseline of the gateway benchmark: plain Fastify (its defaults: JSON body parser, no
// logger) answering the same JSON envelope as the gateway's Echo, with no signature,
// validation, rate limit or metrics: what the framework alone costs.
import { randomUUID } from "node:crypto";
import Fastify from "fastify";

const app = Fastify();
app.post("/", async (req) => {
  const input = (req.body ?? {}) as { Message?: string; Count?: number };
  return {
    Response: {
      Message: input.Message ?? "",
      Count: input.Count ?? 1,
      Tags: [],
      Level: null,
      NestedId: null,
      Region: req.headers["x-tc-region"] ?? null,
      AccountId: "acc-fastify",
      Now: Math.floor(Date.now() / 1000),
      RequestId: randomUUID(),
    },
  };
});
const address = await app.listen({ port: 0, host: "127.0.0.1" });
process.stdout.write(`fastify listening on ${new URL(address).port}\n`);
process.on("SIGTERM", () => void app.close().then(() => process.exit(0)));
