// Checks an answer (what the SDK's client returned: the envelope's `Response` object, with
// its RequestId) against the SDK's own model, recursively. Reports every deviation, not
// only the first, each with the path of the value it concerns.
//
// The rules, and where each comes from:
// - known keys: every key must be a field of the model's interface (d.ts);
// - null: only where the field's doc says 「可能返回 null」 (d.ts; agrees with the cloud's
//   api.json `value_allowed_null` on every output field of the four services);
// - types: string / number / boolean / nested interface / Array<...> as the d.ts writes them;
//   int64 array elements ("number | bigint") must be integers (the SDK parses answers with
//   plain JSON.parse, so a bigint never reaches the caller; a string never may);
// - required keys: the d.ts marks every output field `?`, so it cannot say which are
//   required. The checker requires every key of the model in an answer (the cloud answers
//   each documented field, null where it has no value); a case names, with its reason, any
//   path roomledger leaves out on purpose (`absent`). RequestId is required and non-empty.
import type { Field, FieldType, Model } from "./model.ts";

export type DeviationKind = "extra-key" | "missing-key" | "null" | "type";

export interface Deviation {
  path: string;
  kind: DeviationKind;
  detail: string;
}

export interface CheckOptions {
  /**
   * Paths whose absence is allowed: "Key", "Outer.Inner", "List[].Key" (any element). Every
   * other model key must be present.
   */
  absent?: readonly string[];
}

const describeValue = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "object" ? "object" : `${typeof v} ${JSON.stringify(v)}`;

const typeName = (t: FieldType): string => (t.kind === "array" ? `Array<${typeName(t.of)}>` : t.kind === "ref" ? t.name : t.kind);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

class Checker {
  readonly out: Deviation[] = [];
  private readonly model: Model;
  private readonly absent: Set<string>;
  constructor(model: Model, options: CheckOptions) {
    this.model = model;
    this.absent = new Set(options.absent ?? []);
  }

  private add(path: string, kind: DeviationKind, detail: string) {
    this.out.push({ path, kind, detail });
  }

  /** `path` is what is printed ("Rooms[3].Name"); `pattern` what `absent` matches ("Rooms[].Name"). */
  object(name: string, value: unknown, path: string, pattern: string) {
    const it = this.model.interfaces.get(name);
    if (!it) throw new Error(`the model has no interface ${name}`);
    if (!isPlainObject(value)) {
      this.add(path || "(answer)", "type", `expected ${name} (an object), got ${describeValue(value)}`);
      return;
    }
    const join = (base: string, key: string) => (base ? `${base}.${key}` : key);
    for (const key of Object.keys(value)) if (!it.fields.has(key)) this.add(join(path, key), "extra-key", `${name} has no field ${key}`);
    for (const field of it.fields.values()) {
      const p = join(path, field.name);
      const pat = join(pattern, field.name);
      if (!Object.hasOwn(value, field.name) || value[field.name] === undefined) {
        if (!this.absent.has(pat)) this.add(p, "missing-key", `${name}.${field.name} is absent`);
        continue;
      }
      this.field(field, value[field.name], p, pat);
    }
  }

  private field(field: Field, v: unknown, path: string, pattern: string) {
    if (v === null) {
      if (!field.nullable) this.add(path, "null", `null where the model does not allow it (${typeName(field.type)})`);
      return;
    }
    this.value(field.type, v, path, pattern);
  }

  private value(t: FieldType, v: unknown, path: string, pattern: string) {
    switch (t.kind) {
      case "string":
      case "boolean":
        if (typeof v !== t.kind) this.add(path, "type", `expected ${t.kind}, got ${describeValue(v)}`);
        return;
      case "number":
        if (typeof v !== "number" || !Number.isFinite(v)) this.add(path, "type", `expected number, got ${describeValue(v)}`);
        return;
      case "int64":
        if (!(typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v))))
          this.add(path, "type", `expected an int64 (integer number), got ${describeValue(v)}`);
        return;
      case "ref":
        this.object(t.name, v, path, pattern);
        return;
      case "array":
        if (!Array.isArray(v)) {
          this.add(path, "type", `expected ${typeName(t)}, got ${describeValue(v)}`);
          return;
        }
        v.forEach((el, i) => {
          const p = `${path}[${i}]`;
          // No element of a list is ever null in the model.
          if (el === null) this.add(p, "null", `null element in ${typeName(t)}`);
          else this.value(t.of, el, p, `${pattern}[]`);
        });
        return;
    }
  }
}

/** Deviations of an SDK answer of `action` from `<action>Response` in the model. */
export function checkAnswer(model: Model, action: string, answer: unknown, options: CheckOptions = {}): Deviation[] {
  const c = new Checker(model, options);
  c.object(`${action}Response`, answer, "", "");
  // The cloud answers a RequestId on every call; the model types it `RequestId?: string`.
  if (isPlainObject(answer) && typeof answer.RequestId === "string" && answer.RequestId === "")
    c.out.push({ path: "RequestId", kind: "type", detail: "empty RequestId" });
  return c.out;
}

/**
 * Deviations of a request from `<action>Request`: required (non-`?`) fields present, known
 * keys, types. Used to prove a case sends what the model calls valid.
 */
export function checkRequest(model: Model, action: string, request: unknown): Deviation[] {
  const name = `${action}Request`;
  if (model.nullTypes.has(name)) {
    const empty = request === undefined || request === null || (isPlainObject(request) && !Object.keys(request).length);
    return empty ? [] : [{ path: "(request)", kind: "extra-key", detail: `${name} takes no parameters` }];
  }
  // Inputs: required is exactly the d.ts's non-`?` fields (agrees with api.json `required`).
  const c = new Checker(model, { absent: optionalPaths(model, name) });
  c.object(name, request, "", "");
  return c.out;
}

/** Every path under `name` whose field is optional, for checkRequest (bounded by the model's depth). */
function optionalPaths(model: Model, name: string, prefix = "", seen: string[] = []): string[] {
  const it = model.interfaces.get(name);
  if (!it || seen.includes(name)) return [];
  const out: string[] = [];
  for (const f of it.fields.values()) {
    const p = prefix ? `${prefix}.${f.name}` : f.name;
    if (f.optional) out.push(p);
    let t = f.type;
    let q = p;
    while (t.kind === "array") {
      t = t.of;
      q += "[]";
    }
    if (t.kind === "ref") out.push(...optionalPaths(model, t.name, q, [...seen, name]));
  }
  return out;
}

/** One line per deviation, for assertion messages. */
export const formatDeviations = (ds: readonly Deviation[]): string => ds.map((d) => `  ${d.kind} at ${d.path}: ${d.detail}`).join("\n");
