// Reads a request body up to a limit. A body over the limit is read to its end and dropped
// before the answer is sent: answering while the client is still uploading makes it see a
// reset connection (EPIPE) instead of the protocol's "too large" error. Past `drainLimit`
// the connection is cut, so an endless upload cannot hold the server.
import type { Readable } from "node:stream";

export function readBodyDraining(
  payload: Readable,
  limit: number,
  tooLarge: () => Error,
  done: (err: Error | null, body?: Buffer) => void,
  drainLimit = Math.max(4 * limit, 64 * 1024 * 1024),
): void {
  // A body that came with its headers is already buffered whole when parsing starts (the
  // body-idle guard, listener-timeouts.ts, waits a turn of the event loop for it): taken at
  // once, without the stream's data and end events (issue 22). Anything else is read as a stream.
  if ((payload as Readable & { complete?: boolean }).complete === true && payload.readableLength <= limit) {
    done(null, (payload.read() as Buffer | null) ?? Buffer.alloc(0));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  payload.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
    else if (size > drainLimit) payload.destroy();
    else chunks.length = 0;
  });
  // A body in one chunk (most) is that chunk, without a copy.
  payload.on("end", () => (size > limit ? done(tooLarge()) : done(null, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))));
  payload.on("error", (err) => done(err));
}
