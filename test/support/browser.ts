// A real headless Chromium for tests (Debian's `chromium`, driven by puppeteer-core), shared
// by the browser tests (RTC QoS collector; the Janus/LiveKit issue reuses it). When chromium is
// missing and we run as root (CI does), it is installed with apt-get; otherwise the test fails
// with what to install: never a silent skip. Fake camera and microphone, the permission
// prompt auto-accepted, loopback allowed for peer connections, real host IPs (no mDNS names)
// so that the relay can rewrite candidates.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import puppeteer, { type Browser } from "puppeteer-core";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

export function chromiumPath(): string {
  const found = CANDIDATES.find((p) => existsSync(p));
  if (found) return found;
  if (process.getuid?.() !== 0) throw new Error("chromium is not installed: `sudo apt-get install -y chromium` (Debian) and run again");
  execFileSync("apt-get", ["update"], { stdio: "ignore", timeout: 300_000 });
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], {
    stdio: "ignore",
    timeout: 600_000,
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  const installed = CANDIDATES.find((p) => existsSync(p));
  if (!installed) throw new Error("apt-get install chromium did not provide /usr/bin/chromium");
  return installed;
}

export async function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    timeout: 30_000,
    protocolTimeout: 60_000,
    args: [
      // Root in a container has no user namespace for the sandbox.
      ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
      "--allow-loopback-in-peer-connection",
      "--disable-features=WebRtcHideLocalIpsWithMdns",
      "--disable-dev-shm-usage",
      "--mute-audio",
    ],
  });
}

/** Runs `fn` with a fresh browser and always closes it (kills it if close hangs). */
export async function withBrowser<T>(fn: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await launchBrowser();
  try {
    return await fn(browser);
  } finally {
    const proc = browser.process();
    await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 5000))]).catch(() => {});
    if (proc && proc.exitCode === null) proc.kill("SIGKILL");
  }
}
