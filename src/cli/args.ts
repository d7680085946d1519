// Command-line parsing for the roomledger CLI (node:util parseArgs, strict).
import { parseArgs } from "node:util";

export class UsageError extends Error {}

export type Flags = Record<string, string | boolean | undefined>;

export interface CommandSpec {
  /** Space-separated command words, e.g. "apps create". */
  name: string;
  summary: string;
  options: Record<string, { type: "string" | "boolean"; help: string }>;
  run(flags: Flags, env: Record<string, string | undefined>): Promise<number>;
}

export function parseCommand(specs: readonly CommandSpec[], argv: string[]): { spec: CommandSpec; flags: Flags } {
  // The command words come first: `roomledger apps create --product lcic`.
  const matches = specs.filter((s) => s.name.split(" ").every((w, i) => argv[i] === w));
  const spec = matches.sort((a, b) => b.name.length - a.name.length)[0];
  if (!spec) {
    const words = argv.filter((a) => !a.startsWith("-")).slice(0, 2).join(" ");
    throw new UsageError(words === "" ? "no command given" : `unknown command: ${words}`);
  }
  const rest = argv.slice(spec.name.split(" ").length);
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: Object.fromEntries(Object.entries(spec.options).map(([k, v]) => [k, { type: v.type }])),
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    return { spec, flags: values as Flags };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError((err as Error).message);
  }
}

export function usage(specs: readonly CommandSpec[]): string {
  const lines = ["usage: roomledger <command> [options]", "", "commands:"];
  for (const s of specs) {
    lines.push(`  ${s.name.padEnd(22)} ${s.summary}`);
    for (const [k, v] of Object.entries(s.options)) lines.push(`      --${k.padEnd(18)} ${v.help}`);
  }
  return lines.join("\n");
}
