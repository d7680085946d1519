// The roomledger command line. Exit codes: 0 done, 1 failed, 2 usage error.
import { AdminError } from "./admin-client.ts";
import { UsageError, parseCommand, usage } from "./args.ts";
import { commands } from "./commands.ts";

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    process.stdout.write(`${usage(commands)}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  try {
    const { spec, flags } = parseCommand(commands, argv);
    return await spec.run(flags, process.env);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`roomledger: ${err.message}\n(see roomledger --help)\n`);
      return 2;
    }
    if (err instanceof AdminError) {
      process.stderr.write(`roomledger: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`roomledger: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
