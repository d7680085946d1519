// One process per PGlite data directory. PGlite has no postmaster.pid check of its own: two
// processes on one directory both start, both write, and corrupt it (issue 16, item 1).
//
// Why a Unix socket in Linux's abstract namespace, and not a lock file:
// - The lock must be released by the kernel when its holder dies, SIGKILL included, with no
//   "is it stale?" guess. flock(2)/fcntl(2) would do that, but Node exposes neither without a
//   native addon (which this package does not allow).
// - A lockfile library such as proper-lockfile (mkdir + an mtime refreshed on a timer) is
//   atomic for two simultaneous starts, but recovering a dead holder's lock is a guess and a
//   race: staleness is judged from the mtime, and PGlite runs its WASM on the main thread, so
//   a long query or checkpoint starves the refresh timer and a live holder's lock is declared
//   stale and taken over; and two contenders that both judge a lock stale can both remove and
//   re-create it, so both "hold" it. That is exactly the double-writer the issue reports.
// - A socket bound in the abstract namespace (a name starting with NUL) has no file: bind(2)
//   is atomic (EADDRINUSE for the second), and the kernel frees the name when the last
//   descriptor closes, i.e. when the holder exits or is killed. Recovery after SIGKILL is
//   therefore exact, with nothing to clean up. The holder also answers on it with its pid and
//   start time, so a refused start can name it.
// Limits (README): the name is per network namespace, so two containers with their own
// network namespaces sharing one volume are not kept apart, nor are two hosts on a network
// file system. Elsewhere than Linux there is no abstract namespace: a socket file in the
// directory is used instead, whose leftover after a crash is recovered by trying to connect
// (refused = dead holder); two processes recovering the same leftover at the same instant
// could both win there, which the Linux path cannot.
import { createHash } from "node:crypto";
import { realpathSync, rmSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { join } from "node:path";

export interface DataDirLock {
  release(): Promise<void>;
}

/** Another live process holds the directory: one line for the operator, naming it. */
export class DataDirLockedError extends Error {
  override readonly name = "DataDirLockedError";
}

interface Holder {
  pid: number;
  startedAt: string;
}

const startedAt = new Date().toISOString();

/** The socket address that stands for a directory (created already). */
function addressOf(dir: string): { path: string; file: boolean } {
  const real = realpathSync(dir);
  if (process.platform === "linux") {
    const hash = createHash("sha256").update(real).digest("hex");
    return { path: `\0roomledger-data-${hash}`, file: false };
  }
  return { path: join(real, ".roomledger.lock"), file: true };
}

function bind(path: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      socket.end(`${JSON.stringify({ pid: process.pid, startedAt } satisfies Holder)}\n`);
    });
    server.once("error", reject);
    server.listen({ path, exclusive: true }, () => {
      server.off("error", reject);
      server.unref(); // the lock must not keep a finished command alive
      resolve(server);
    });
  });
}

/** Asks the holder who it is; null when nobody listens (a dead holder's leftover file). */
function askHolder(path: string): Promise<Holder | "silent" | null> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    let text = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve("silent");
    }, 2000);
    socket.setEncoding("utf8");
    socket.on("data", (d) => (text += d));
    socket.on("end", () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(text) as Holder);
      } catch {
        resolve("silent");
      }
    });
    socket.on("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(err.code === "ECONNREFUSED" || err.code === "ENOENT" ? null : "silent");
    });
  });
}

/** Takes the directory's lock or throws DataDirLockedError naming its holder. */
export async function lockDataDir(dir: string): Promise<DataDirLock> {
  const { path, file } = addressOf(dir);
  for (let attempt = 0; ; attempt++) {
    try {
      const server = await bind(path);
      return {
        release: () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
          }),
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
    }
    const holder = await askHolder(path);
    if (holder === null && file && attempt === 0) {
      rmSync(path, { force: true }); // a crashed holder's socket file (not on Linux: see above)
      continue;
    }
    if (holder === null && attempt < 3) continue; // the holder exited between bind and connect
    const who =
      holder && holder !== "silent"
        ? `pid ${holder.pid}, started ${holder.startedAt}`
        : "a process that does not answer; is one stopped (SIGSTOP)?";
    throw new DataDirLockedError(`the data directory ${dir} is in use by another roomledger (${who}); stop it or use another --data`);
  }
}
