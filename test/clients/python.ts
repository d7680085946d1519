// The vendors' Python clients, run on Debian's python3 from ../shared/clients (beside the
// checkout, never copied into it). Where they or python3's packages are missing (a user's
// clone) the suites say why and skip; with ROOMLEDGER_REQUIRE_CLIENTS=1 (set by .ci/run,
// which installs the packages) they fail instead, so CI cannot pass by skipping them.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT } from "../support/server.ts";

export const PYTHON = "/usr/bin/python3";
export const CLIENTS = process.env.ROOMLEDGER_CLIENTS_DIR ?? join(ROOT, "..", "shared", "clients");
export const SCRIPTS = import.meta.dirname;

export type Client = "tencent-sdk" | "tccli" | "huawei-cloudrtc";

const PATHS: Record<Client, string[]> = {
  "tencent-sdk": ["tencentcloud-sdk-python"],
  tccli: ["tencentcloud-sdk-python", "tencentcloud-cli"],
  "huawei-cloudrtc": ["huaweicloud-sdk-python/huaweicloud-sdk-core", "huaweicloud-sdk-python/huaweicloud-sdk-cloudrtc"],
};

// What each client imports when it runs (its own modules and the Debian packages under them).
const PROBES: Record<Client, string> = {
  "tencent-sdk": "import certifi, requests, tencentcloud.common.abstract_client",
  tccli: "import certifi, requests, jmespath, six, yaml, tccli.main",
  "huawei-cloudrtc": "import requests, requests_toolbelt, simplejson, six, yaml, defusedxml, bson, pyasn1, huaweicloudsdkcloudrtc.v1",
};

export function pythonPath(client: Client): string {
  return PATHS[client].map((p) => join(CLIENTS, p)).join(":");
}

/** Why `client` cannot run here, or null when it can. */
export function unavailable(client: Client): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} is missing`;
  for (const p of PATHS[client])
    if (!existsSync(join(CLIENTS, p))) return `${join(CLIENTS, p)} is missing (the vendors' clients live beside the checkout)`;
  const r = spawnSync(PYTHON, ["-c", PROBES[client]], { env: pythonEnv(client), encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) return `python3 cannot import what ${client} needs: ${(r.stderr || r.error?.message || "").trim().split("\n").pop()}`;
  return null;
}

export const REQUIRED = process.env.ROOMLEDGER_REQUIRE_CLIENTS === "1";

/**
 * The skip option of a suite: a reason when the client cannot run and skipping is allowed.
 * When it cannot run but is required, a failing test says why (call before the suite).
 */
export function skipUnlessAvailable(client: Client): string | false {
  const why = unavailable(client);
  if (why === null) return false;
  if (REQUIRED) {
    test(`${client} is available (ROOMLEDGER_REQUIRE_CLIENTS=1)`, () => {
      throw new Error(why);
    });
    return `${client} missing: ${why}`;
  }
  console.log(`# skipping the ${client} suite: ${why}`);
  return `${client} missing: ${why}`;
}

/**
 * The environment of a client: its sources on PYTHONPATH (after extra.PYTHONPATH, if any),
 * no proxy (the SDKs honour HTTP(S)_PROXY).
 */
export function pythonEnv(client: Client, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const path = [extra.PYTHONPATH, pythonPath(client)].filter(Boolean).join(":");
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: "1", ...extra, PYTHONPATH: path };
  for (const k of ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]) delete env[k];
  return env;
}

export interface PythonRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs python3 with args, `input` on stdin; bounded in time. */
export function runPython(
  client: Client,
  args: string[],
  input = "",
  extraEnv: Record<string, string> = {},
  cwd?: string,
): Promise<PythonRun> {
  const proc = spawn(PYTHON, args, { cwd, env: pythonEnv(client, extraEnv), stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  proc.stdout.on("data", (d) => (stdout += d));
  proc.stderr.on("data", (d) => (stderr += d));
  proc.stdin.end(input);
  const timer = setTimeout(() => proc.kill("SIGKILL"), 120_000);
  return new Promise((resolve) =>
    proc.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** Runs a script of test/clients with a JSON job on stdin and parses its JSON answer. */
export async function runScript<T>(client: Client, script: string, job: unknown): Promise<T> {
  const r = await runPython(client, [join(SCRIPTS, script)], JSON.stringify(job));
  if (r.code !== 0) throw new Error(`${script} exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`${script} printed no JSON:\n${r.stdout}\n${r.stderr}`);
  }
}
