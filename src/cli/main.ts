// The roomledger command line. Exit codes: 0 done, 1 failed, 2 usage error (a wrong command,
// flag or value: one line saying what, one line of usage, no stack trace).
import { AdminError } from "./admin-client.ts";
import { UsageError, commandHelp, parseCommand, usage, usageLine } from "./args.ts";
import { commands } from "./commands.ts";
import { loadProducts } from "./products.ts";
import { ConfigError } from "../config.ts";
import { VERSION } from "../version.ts";
import { startMark } from "../storage/start-marks.ts";

async function main(argv: string[]): Promise<number> {
  const first = argv[0];
  if (first === "--version" || first === "-v" || first === "version") {
    process.stdout.write(`roomledger ${VERSION}\n`);
    return 0;
  }
  if (first === "--help" || first === "-h" || first === "help") {
    await loadProducts(); // some summaries name the products
    process.stdout.write(`${usage(commands)}\n`);
    return 0;
  }
  try {
    const { spec, flags, help } = parseCommand(commands, argv);
    if (help) {
      await loadProducts();
      process.stdout.write(`${commandHelp(spec)}\n`);
      return 0;
    }
    try {
      return await spec.run(flags, process.env);
    } catch (err) {
      // A flag's value the command could not use: a usage error of this command.
      if (err instanceof ConfigError || (err instanceof UsageError && !err.command)) Object.assign(err, { command: spec.name });
      throw err;
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(`roomledger: ${err.message}\n${usageLine((err as UsageError).command)}\n`);
      return 2;
    }
    // Failures the user can act on from one line: an unreachable admin API, a port in use,
    // a data directory another server holds.
    if (err instanceof AdminError || (err as Error).name === "ListenError" || (err as Error).name === "DataDirLockedError") {
      process.stderr.write(`roomledger: ${(err as Error).message}\n`);
      return 1;
    }
    process.stderr.write(`roomledger: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

// Exit explicitly: once a command is over (a server closed, a command failed), nothing that a
// library left scheduled may keep the process alive. stdout and stderr are synchronous for
// files, pipes and terminals on Linux, so nothing written is lost.
startMark("command line: loaded");
process.exit(await main(process.argv.slice(2)));
