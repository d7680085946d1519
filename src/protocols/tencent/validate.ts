// Validates a request against its action's TypeBox schema and answers the way the Tencent
// gateway does: MissingParameter, InvalidParameter ("Parameter `X` type error."),
// InvalidParameterValue, UnknownParameter. The same schema types the handler (Static<S>).
//
// Numbers may arrive as numeric strings: the v1 form and TC3 GET carry only strings, and the
// real API also accepts them in JSON (the TRRO DescribeDeviceSessionList example sends
// "PageNumber": "1"), so integers and numbers are coerced from strings everywhere.
import type { TSchema } from "@sinclair/typebox";
import { tencentErrors } from "../../errors/tencent-common.ts";
import { boundaryViolation } from "../boundary.ts";

type S = TSchema & Record<string, unknown>;

export function validateRequest(schema: TSchema, input: unknown): unknown {
  // The boundary rule first, on the whole request: it also reaches fields a schema passes
  // through untyped (Any) and object keys (boundary.ts).
  const violation = boundaryViolation(input, "", (path) => schemaAt(schema as S, path)?.ownRange === true);
  if (violation) throw tencentErrors.invalidParameterValue(violation.path || "body", violation.reason);
  return check(schema as S, input, "");
}

const join = (path: string, key: string | number): string => (path === "" ? String(key) : `${path}.${key}`);

/** The schema of the field at a dotted path ("Users.0.Uid"), when the schema names it. */
function schemaAt(schema: S | undefined, path: string): S | undefined {
  for (const key of path === "" ? [] : path.split(".")) {
    if (schema?.type === "object") schema = (schema.properties as Record<string, S> | undefined)?.[key];
    else if (schema?.type === "array") schema = schema.items as S | undefined;
    else return undefined;
  }
  return schema;
}

function check(schema: S, value: unknown, path: string): unknown {
  if (Array.isArray(schema.anyOf)) return checkAnyOf(schema, value, path);
  if ("const" in schema) {
    const v = typeof schema.const === "number" ? toNumber(value, path, true) : value;
    if (v !== schema.const) throw tencentErrors.invalidParameterValue(path, `must be ${JSON.stringify(schema.const)}`);
    return v;
  }
  switch (schema.type) {
    case "object":
      return checkObject(schema, value, path);
    case "array":
      return checkArray(schema, value, path);
    case "integer":
      return checkNumber(schema, toNumber(value, path, true), path);
    case "number":
      return checkNumber(schema, toNumber(value, path, false), path);
    case "string":
      return checkString(schema, value, path);
    case "boolean":
      if (typeof value === "boolean") return value;
      if (value === "true") return true;
      if (value === "false") return false;
      throw tencentErrors.invalidParameter(path);
    default:
      return value; // Unknown/Any: passed through as is.
  }
}

function checkAnyOf(schema: S, value: unknown, path: string): unknown {
  const options = schema.anyOf as S[];
  // Union of literals (an enum): the value must be one of them.
  if (options.every((o) => "const" in o)) {
    const numeric = options.some((o) => typeof o.const === "number");
    const v = numeric && typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
    if (options.some((o) => o.const === v)) return v;
    if (typeof v !== typeof options[0]!.const) throw tencentErrors.invalidParameter(path);
    const allowed = options.map((o) => String(o.const)).join(", ");
    throw tencentErrors.invalidParameterValue(path, `must be one of ${allowed}`);
  }
  let first: unknown;
  for (const option of options) {
    try {
      return check(option, value, path);
    } catch (err) {
      first ??= err;
    }
  }
  throw first;
}

function checkObject(schema: S, value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw tencentErrors.invalidParameter(path);
  const props = (schema.properties ?? {}) as Record<string, S>;
  const input = value as Record<string, unknown>;
  for (const name of (schema.required ?? []) as string[]) {
    if (input[name] === undefined || input[name] === null) throw tencentErrors.missingParameter(join(path, name));
  }
  const out: Record<string, unknown> = {};
  // Own enumerable keys, as Object.entries gives them, without its [key, value] pair per field.
  const names = Object.keys(input);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const v = input[name];
    const prop = props[name];
    if (!prop) {
      if (schema.additionalProperties === true) out[name] = v;
      else throw tencentErrors.unknownParameter(join(path, name));
      continue;
    }
    // The SDKs drop nulls; a null that still arrives counts as absent.
    if (v === null || v === undefined) continue;
    out[name] = check(prop, v, join(path, name));
  }
  return out;
}

function checkArray(schema: S, value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw tencentErrors.invalidParameter(path);
  if (typeof schema.maxItems === "number" && value.length > schema.maxItems) {
    throw tencentErrors.invalidParameterValue(path, `at most ${schema.maxItems} items`);
  }
  if (typeof schema.minItems === "number" && value.length < schema.minItems) {
    throw tencentErrors.invalidParameterValue(path, `at least ${schema.minItems} items`);
  }
  return value.map((item, i) => check(schema.items as S, item, join(path, i)));
}

function toNumber(value: unknown, path: string, integer: boolean): number {
  let n: number;
  if (typeof value === "number") n = value;
  else if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) n = Number(value.trim());
  else throw tencentErrors.invalidParameter(path);
  if (!Number.isFinite(n)) throw tencentErrors.invalidParameter(path);
  if (integer && !Number.isInteger(n)) throw tencentErrors.invalidParameter(path);
  // Ids and times are below 2^53: a larger integer cannot be represented exactly.
  if (integer && !Number.isSafeInteger(n)) throw tencentErrors.invalidParameterValue(path, "out of range");
  return n;
}

function checkNumber(schema: S, n: number, path: string): number {
  if (typeof schema.minimum === "number" && n < schema.minimum) {
    throw tencentErrors.invalidParameterValue(path, `must be at least ${schema.minimum}`);
  }
  if (typeof schema.maximum === "number" && n > schema.maximum) {
    throw tencentErrors.invalidParameterValue(path, `must be at most ${schema.maximum}`);
  }
  return n;
}

// Schemas are fixed at start-up: each pattern is compiled once, not on every request.
const patterns = new Map<string, RegExp>();
function patternOf(source: string): RegExp {
  let re = patterns.get(source);
  if (!re) patterns.set(source, (re = new RegExp(source)));
  return re;
}

function checkString(schema: S, value: unknown, path: string): string {
  if (typeof value !== "string") throw tencentErrors.invalidParameter(path);
  // maxLength counts UTF-8 bytes: 1 to 3 per UTF-16 unit (a surrogate pair: 4 for 2), so a
  // string of at most maxLength / 3 units fits and one of more than maxLength units does not;
  // only the strings in between are measured (Buffer.byteLength is a call into C++ per string: issue 22).
  const max = schema.maxLength;
  if (typeof max === "number" && 3 * value.length > max && (value.length > max || Buffer.byteLength(value) > max)) {
    throw tencentErrors.invalidParameterValue(path, `at most ${max} bytes`);
  }
  if (typeof schema.minLength === "number" && value.length < schema.minLength) {
    throw tencentErrors.invalidParameterValue(path, `at least ${schema.minLength} characters`);
  }
  if (typeof schema.pattern === "string" && !patternOf(schema.pattern).test(value)) {
    throw tencentErrors.invalidParameterValue(path, `must match ${schema.pattern}`);
  }
  return value;
}
