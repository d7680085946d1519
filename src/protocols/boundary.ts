// The one rule for every string and number a protocol accepts (issue 16, item 3), checked
// on the parsed request before any schema or handler sees it, so that no product can forget
// it. Each protocol turns a violation into its own error (Tencent InvalidParameterValue, the
// native 400 naming the event's index, the agent 400, the Huawei error body).
//
// - A string (value or object key) may not hold U+0000: PostgreSQL text cannot store it, so
//   it used to fail inside the handler as a 500.
// - A string must be well-formed UTF-16: a lone surrogate is stored as U+FFFD, so two
//   different ids would collide.
// - A number must be finite and of magnitude below 2^53. Larger magnitudes are past what
//   every integer column here holds exactly (ids and times: bigint read back as a JS number)
//   and past what the SDKs' own JSON.parse reads back. The gateways parse JSON with
//   JSON.parse, which rounds an integer literal it cannot represent (9223372036854775808,
//   2^53 + 1) to the nearest double; every such literal rounds to a magnitude of at least
//   2^53, so this bound refuses exactly the integer literals that were not read exactly, with
//   no second parse of the raw text. (Numeric strings in integer fields are bounded the same
//   way by the Tencent validator's toNumber.)
// Narrower storage (an int4 column) is the field's schema's business: its maximum.

export interface BoundaryViolation {
  /** Dotted path of the field ("Users.0.Name"), "" for the value itself. */
  path: string;
  reason: string;
}

const join = (path: string, key: string | number): string => (path === "" ? String(key) : `${path}.${key}`);

function stringFault(s: string): string | null {
  if (s.includes("\u0000")) return "contains a NUL character (U+0000)";
  if (!s.isWellFormed()) return "contains a lone UTF-16 surrogate";
  return null;
}

/**
 * The first value in `value` (walked depth first) that breaks the rule, or null. `ownRange`
 * names the number fields whose action answers an out-of-range value with its own error
 * code (GME's InvalidBizId / InvalidTaskId, as the cloud does): their magnitude is left to
 * the action, which must then refuse what it cannot hold exactly.
 */
export function boundaryViolation(value: unknown, path = "", ownRange?: (path: string) => boolean): BoundaryViolation | null {
  switch (typeof value) {
    case "string": {
      const reason = stringFault(value);
      return reason ? { path, reason } : null;
    }
    case "number":
      if (!Number.isFinite(value)) return { path, reason: "is not a finite number" };
      if (Math.abs(value) > Number.MAX_SAFE_INTEGER && !ownRange?.(path))
        return { path, reason: "is out of range (magnitude 2^53 or more)" };
      return null;
    case "bigint":
      return { path, reason: "is out of range" };
    case "object": {
      if (value === null) return null;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const v = boundaryViolation(value[i], join(path, i), ownRange);
          if (v) return v;
        }
        return null;
      }
      for (const [k, v] of Object.entries(value)) {
        const keyFault = stringFault(k);
        if (keyFault) return { path: join(path, k), reason: `name ${keyFault}` };
        const inner = boundaryViolation(v, join(path, k), ownRange);
        if (inner) return inner;
      }
      return null;
    }
    default:
      return null;
  }
}

/** "field X contains ...", or "the value contains ..." at the top. */
export function describeViolation(v: BoundaryViolation, what = "field"): string {
  return v.path === "" ? `the value ${v.reason}` : `${what} ${v.path} ${v.reason}`;
}
