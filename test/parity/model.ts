// The SDK's own model of a Tencent service, read from the installed tencentcloud-sdk-nodejs
// (services/<svc>/<version>/<svc>_models.d.ts). The repo's TypeScript is the native port,
// whose JS compiler API cannot be relied on, so this is a small exact parser of these very
// regular generated files. It accepts exactly this grammar, line by line, and throws on any
// other line, so a new construct in a future SDK fails loudly instead of being misread:
//
//   file      := { blank | doc | interface | nulltype }
//   doc       := "/**" ... "*/"            (one line, or lines up to one ending in "*/")
//   interface := "export interface " Ident " {"  { doc field }  "}"
//   field     := "    " Ident [ "?" ] ": " Type ";"
//   Type      := Scalar | Ident | "Array<" Elem ">"
//   Elem      := Scalar | Ident | "number | bigint"
//   Scalar    := "string" | "number" | "boolean"
//   nulltype  := "export type " Ident " = null;"      (a request without parameters)
//
// What the d.ts says about answers (checked against the cloud's api.json during development;
// see test/parity/README.md): a field whose doc says 「可能返回 null」 may be null; nothing
// marks a field "required in output" (every output field is `?`), so required-ness of
// answers is a choice of the checker (check.ts), not read here.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export type FieldType =
  | { kind: "string" | "number" | "boolean" }
  | { kind: "int64" } // "number | bigint": what the SDK writes for int64 array elements
  | { kind: "ref"; name: string }
  | { kind: "array"; of: FieldType };

export interface Field {
  name: string;
  optional: boolean;
  /** The field's doc says the value may be null. */
  nullable: boolean;
  type: FieldType;
}

export interface Interface {
  name: string;
  fields: Map<string, Field>;
}

export interface Model {
  file: string;
  interfaces: Map<string, Interface>;
  /** `export type X = null;` declarations (requests without parameters). */
  nullTypes: Set<string>;
}

const NULL_NOTE = "可能返回 null";
const IDENT = "[A-Za-z_][A-Za-z0-9_]*";
const INTERFACE_RE = new RegExp(`^export interface (${IDENT}) \\{$`);
const NULLTYPE_RE = new RegExp(`^export type (${IDENT}) = null;$`);
const FIELD_RE = new RegExp(`^    (${IDENT})(\\??): (.+);$`);
const SCALAR = new Set(["string", "number", "boolean"]);

function parseType(text: string, where: string): FieldType {
  const array = /^Array<(.+)>$/.exec(text);
  if (array) {
    const inner = array[1]!;
    if (inner === "number | bigint") return { kind: "array", of: { kind: "int64" } };
    if (inner.startsWith("Array<")) throw new Error(`${where}: nested arrays are not in the grammar: ${text}`);
    return { kind: "array", of: parseType(inner, where) };
  }
  if (SCALAR.has(text)) return { kind: text as "string" | "number" | "boolean" };
  if (new RegExp(`^${IDENT}$`).test(text)) return { kind: "ref", name: text };
  throw new Error(`${where}: type not in the grammar: ${text}`);
}

/** Parses one *_models.d.ts text; throws on any line outside the grammar above. */
export function parseModels(text: string, file = "<text>"): Model {
  const lines = text.split("\n");
  const interfaces = new Map<string, Interface>();
  const nullTypes = new Set<string>();
  let current: Interface | null = null;
  let doc: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const where = `${file}:${i + 1}`;
    if (/^\s*\/\*\*/.test(line)) {
      // A doc comment: collect up to the line that ends it.
      const parts = [line];
      while (!/\*\/\s*$/.test(lines[i]!)) {
        i++;
        if (i >= lines.length) throw new Error(`${where}: unterminated comment`);
        parts.push(lines[i]!);
      }
      doc = parts.join("\n");
      continue;
    }
    if (current) {
      if (line === "}") {
        interfaces.set(current.name, current);
        current = null;
        doc = null;
        continue;
      }
      const f = FIELD_RE.exec(line);
      if (!f) throw new Error(`${where}: not a field: ${line}`);
      if (doc === null) throw new Error(`${where}: field without its doc comment`);
      const [, name, q, type] = f;
      if (current.fields.has(name!)) throw new Error(`${where}: duplicate field ${name}`);
      current.fields.set(name!, { name: name!, optional: q === "?", nullable: doc.includes(NULL_NOTE), type: parseType(type!, where) });
      doc = null;
      continue;
    }
    if (line.trim() === "") continue;
    const iface = INTERFACE_RE.exec(line);
    if (iface) {
      if (interfaces.has(iface[1]!)) throw new Error(`${where}: duplicate interface ${iface[1]}`);
      current = { name: iface[1]!, fields: new Map() };
      doc = null;
      continue;
    }
    const nt = NULLTYPE_RE.exec(line);
    if (nt) {
      nullTypes.add(nt[1]!);
      doc = null;
      continue;
    }
    throw new Error(`${where}: line not in the grammar: ${line}`);
  }
  if (current) throw new Error(`${file}: interface ${current.name} not closed`);
  // Every reference must resolve, or the checker would have nothing to check against.
  for (const it of interfaces.values())
    for (const f of it.fields.values()) {
      let t = f.type;
      while (t.kind === "array") t = t.of;
      if (t.kind === "ref" && !interfaces.has(t.name)) throw new Error(`${file}: ${it.name}.${f.name} names unknown ${t.name}`);
    }
  return { file, interfaces, nullTypes };
}

const require = createRequire(import.meta.url);
const SDK_ROOT = dirname(require.resolve("tencentcloud-sdk-nodejs/package.json"));

/** Path of the installed SDK's model file of a service, e.g. ("gme", "2018-07-11"). */
export function modelPath(service: string, version: string): string {
  const v = `v${version.replaceAll("-", "")}`;
  return join(SDK_ROOT, "tencentcloud", "services", service, v, `${service}_models.d.ts`);
}

const cache = new Map<string, Model>();

/** The parsed model of a service as the installed SDK ships it (parsed once per process). */
export function loadModel(service: string, version: string): Model {
  const path = modelPath(service, version);
  let m = cache.get(path);
  if (!m) {
    m = parseModels(readFileSync(path, "utf8"), path);
    cache.set(path, m);
  }
  return m;
}
