// Loaded into every test process (`--import` in the test command). FC_SEED=<integer> runs
// every fast-check property of the run from that seed, so a run can be repeated exactly and
// a suite can be run under several seeds. Without it fast-check picks a seed per property.
// Either way a failing property prints its seed and path (fc.assert's own report); pass
// them back as FC_SEED and fast-check's `path` option to replay one counterexample.
import fc from "fast-check";

const raw = process.env.FC_SEED;
if (raw !== undefined && raw !== "") {
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${JSON.stringify(raw)}`);
  fc.configureGlobal({ seed });
}
