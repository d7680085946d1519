// The `roomledger simulate` command: options and validation; the work is in run-simulate.ts.
import type { CommandSpec } from "../cli/args.ts";
import { UsageError } from "../cli/args.ts";
import { targetOptions } from "../demo/command.ts";
import { targetFromFlags } from "../demo/target-flags.ts";

function count(v: unknown, name: string, fallback: number, min = 0): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`--${name} must be a number >= ${min}`);
  return n;
}

export const simulateCommand: CommandSpec = {
  name: "simulate",
  summary: "send the behaviour models' traffic (classes, QoS, a fleet) at a chosen scale and rate; print achieved rates",
  options: {
    ...targetOptions,
    rooms: { type: "string", help: "classes in parallel (default 1)" },
    students: { type: "string", help: "students per class (default 30)" },
    devices: { type: "string", help: "TRRO field devices (one console per four; default 20)" },
    duration: { type: "string", help: "seconds of sending (default 10)" },
    rate: { type: "string", help: "events per second to send, all kinds together (default 1000)" },
    "qos-every": { type: "string", help: "seconds between a participant's QoS samples (default 2)" },
    seed: { type: "string", help: "seed of the behaviour models (default 1)" },
    json: { type: "boolean", help: "print the result as JSON" },
  },
  async run(flags, env) {
    const o = {
      rooms: count(flags.rooms, "rooms", 1, 0),
      students: count(flags.students, "students", 30, 0),
      devices: count(flags.devices, "devices", 20, 0),
      durationS: count(flags.duration, "duration", 10, 0.1),
      ratePerS: count(flags.rate, "rate", 1000, 1),
      qosEveryS: count(flags["qos-every"], "qos-every", 2, 1),
      seed: count(flags.seed, "seed", 1, 0),
    };
    if (![o.rooms, o.students, o.devices, o.qosEveryS].every(Number.isInteger))
      throw new UsageError("--rooms, --students, --devices and --qos-every are whole numbers");
    const { runSimulate, formatSimulate } = await import("./run-simulate.ts");
    const target = await targetFromFlags(flags, env);
    try {
      const r = await runSimulate(target, o);
      process.stdout.write(`${flags.json ? JSON.stringify({ options: o, ...r }) : formatSimulate(o, r)}\n`);
    } finally {
      await target.close();
    }
    return 0;
  },
};
