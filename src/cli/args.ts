// Command-line parsing for the roomledger CLI (node:util parseArgs, strict).
import { parseArgs } from "node:util";

export class UsageError extends Error {
  /** The command it concerns, for the usage line ("serve", "apps create"), if known. */
  command?: string;
}

export type Flags = Record<string, string | boolean | undefined>;

export interface CommandSpec {
  /** Space-separated command words, e.g. "apps create". */
  name: string;
  /** A function when it names what only a loaded module knows (products.ts: main.ts loads it before any help). */
  summary: string | (() => string);
  options: Record<string, { type: "string" | "boolean"; help: string }>;
  /** More lines for `roomledger <command> --help` (e.g. serve's environment variables). */
  helpFooter?: string;
  run(flags: Flags, env: Record<string, string | undefined>): Promise<number>;
}

export function parseCommand(specs: readonly CommandSpec[], argv: string[]): { spec: CommandSpec; flags: Flags; help: boolean } {
  // The command words come first: `roomledger apps create --product lcic`.
  const matches = specs.filter((s) => s.name.split(" ").every((w, i) => argv[i] === w));
  const spec = matches.sort((a, b) => b.name.length - a.name.length)[0];
  if (!spec) {
    const words = argv
      .filter((a) => !a.startsWith("-"))
      .slice(0, 2)
      .join(" ");
    throw new UsageError(words === "" ? "no command given" : `unknown command: ${words}`);
  }
  const rest = argv.slice(spec.name.split(" ").length);
  if (rest.includes("--help") || rest.includes("-h")) return { spec, flags: {}, help: true };
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: Object.fromEntries(Object.entries(spec.options).map(([k, v]) => [k, { type: v.type }])),
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    return { spec, flags: values as Flags, help: false };
  } catch (err) {
    // parseArgs explains how to pass a positional that starts with "-": not our case.
    const message = (err as Error).message.replace(/^Unknown option '([^']+)'.*$/s, "unknown option $1");
    const usage = err instanceof UsageError ? err : new UsageError(message);
    usage.command = spec.name;
    throw usage;
  }
}

/** The one usage line printed with a usage error. */
export function usageLine(command?: string): string {
  return command
    ? `usage: roomledger ${command} [options]   (roomledger ${command} --help)`
    : "usage: roomledger <command> [options]   (roomledger --help)";
}

const summaryOf = (spec: CommandSpec): string => (typeof spec.summary === "string" ? spec.summary : spec.summary());

/** `roomledger <command> --help`. */
export function commandHelp(spec: CommandSpec): string {
  const lines = [`usage: roomledger ${spec.name} [options]`, "", summaryOf(spec), "", "options:"];
  for (const [k, v] of Object.entries(spec.options)) lines.push(`  --${k.padEnd(20)} ${v.help}`);
  lines.push(`  --${"help".padEnd(20)} this help`);
  if (spec.helpFooter) lines.push("", spec.helpFooter);
  return lines.join("\n");
}

export function usage(specs: readonly CommandSpec[]): string {
  const lines = ["usage: roomledger <command> [options]", "       roomledger <command> --help | roomledger --version", "", "commands:"];
  for (const s of specs) {
    lines.push(`  ${s.name.padEnd(22)} ${summaryOf(s)}`);
    for (const [k, v] of Object.entries(s.options)) lines.push(`      --${k.padEnd(18)} ${v.help}`);
  }
  return lines.join("\n");
}
