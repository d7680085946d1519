// Under npm (`npx roomledger serve`, `npm exec`), a SIGTERM sent to npm does not reach the
// server: npm runs the bin through `sh -c`, and when npm goes the shell stays, waiting for
// the server, which would keep serving, orphaned. So the server watches its parent and, when
// that parent is such a shell, npm above it (found through /proc on Linux; elsewhere the
// parent only), and stops as on SIGTERM when one of them is gone.
import { readFileSync } from "node:fs";

function procField(pid: number, file: "stat" | "comm"): string | null {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return null;
  }
}

function parentOf(pid: number): number | null {
  const stat = procField(pid, "stat");
  // "pid (comm) state ppid ...": comm may hold spaces or parentheses; the fields follow the last ")".
  if (!stat) return null;
  const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  return Number.isInteger(ppid) && ppid > 1 ? ppid : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Calls onGone once when the parent, or npm above a shell parent, has exited. */
export function watchNpmParent(onGone: () => void, everyMs = 250): void {
  const parent = process.ppid;
  const shell = /^(sh|dash|bash|zsh)$/.test(procField(parent, "comm")?.trim() ?? "");
  const npm = shell ? parentOf(parent) : null;
  const timer = setInterval(() => {
    if (process.ppid !== parent || (npm !== null && !alive(npm))) {
      clearInterval(timer);
      onGone();
    }
  }, everyMs);
  timer.unref();
}
