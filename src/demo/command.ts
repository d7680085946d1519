// The `roomledger demo` command: its options, and the embedded-or-running server choice.
import type { CommandSpec } from "../cli/args.ts";
import { UsageError } from "../cli/args.ts";
import { targetFromFlags } from "./target-flags.ts";

/** The options that choose the server, shared with `roomledger simulate`. */
export const targetOptions = {
  url: { type: "string", help: "use this running server (started with --dev) instead of an embedded one" },
  "admin-url": { type: "string", help: "its admin API URL (with --url)" },
  "secret-id": { type: "string", help: "its SecretId (with --url; or env ROOMLEDGER_SECRET_ID)" },
  "secret-key": { type: "string", help: "its SecretKey (with --url; or env ROOMLEDGER_SECRET_KEY)" },
  data: { type: "string", help: "data directory of the embedded server (default: a temporary one, removed after)" },
  port: { type: "string", help: "port of the embedded server (default: any free port)" },
  "admin-port": { type: "string", help: "admin port of the embedded server (default: any free port)" },
} as const;

export const demoCommand: CommandSpec = {
  name: "demo",
  summary: "play a realistic class, push, recording, fleet and QoS scenario and print what the SDKs answer",
  options: {
    ...targetOptions,
    keep: { type: "boolean", help: "keep the embedded server running after the demo (Ctrl-C stops it)" },
    json: { type: "boolean", help: "print the results as JSON" },
    quiet: { type: "boolean", help: "no progress indicator" },
  },
  async run(flags, env) {
    if (typeof flags.url === "string" && (flags.keep || flags.data || flags.port || flags["admin-port"])) {
      throw new UsageError("--keep, --data and the ports are for the embedded server, not with --url");
    }
    // Loaded here, not at the top: the other commands need none of the demo's modules.
    const { runDemo } = await import("./run-demo.ts");
    const target = await targetFromFlags(flags, env);
    try {
      await runDemo(target, { stdout: process.stdout, stderr: process.stderr, json: flags.json === true, quiet: flags.quiet === true });
      if (flags.keep && target.dataDir) {
        process.stderr.write(
          `\nroomledger (demo) keeps serving on ${target.url} (admin ${target.adminUrl}); credentials in ${target.dataDir}/credentials.json, ` +
            `the demo's ids in ${target.dataDir}/demo.json. Ctrl-C stops it.\n` +
            `The web console: ${target.url}/console/ (sign in with the SecretId and SecretKey of credentials.json).\n`,
        );
        await new Promise<void>((resolve) => {
          process.once("SIGINT", () => resolve());
          process.once("SIGTERM", () => resolve());
        });
      }
    } finally {
      await target.close();
    }
    return 0;
  },
};
