// Signature v1 and TC3 GET carry business parameters flattened: `Users.0.Name=a`,
// `Filters.1.Values.0=x`. This rebuilds the nested request object from them.
import { tencentErrors } from "../../errors/tencent-common.ts";

type Node = { [k: string]: Node | string } | Node[] | string;

export function unflatten(flat: Record<string, string>): Record<string, unknown> {
  const root: Record<string, Node> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split(".");
    if (parts.some((p) => p === "")) throw tencentErrors.invalidParameter(key);
    let node: Record<string, Node> | Node[] = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]!);
      if (Array.isArray(node)) {
        if (!/^\d+$/.test(part)) throw tencentErrors.invalidParameter(parts.slice(0, i).join("."));
        const idx = Number(part);
        if (idx > 10_000) throw tencentErrors.invalidParameter(key);
        node = descend(node as unknown as Record<string, Node>, String(idx), last, nextIsIndex, value, key);
      } else {
        if (/^\d+$/.test(part) && i > 0) throw tencentErrors.invalidParameter(parts.slice(0, i).join("."));
        node = descend(node, part, last, nextIsIndex, value, key);
      }
    }
  }
  return compact(root) as Record<string, unknown>;
}

function descend(
  node: Record<string, Node>,
  part: string,
  last: boolean,
  nextIsIndex: boolean,
  value: string,
  key: string,
): Record<string, Node> | Node[] {
  const existing = node[part];
  if (last) {
    if (existing !== undefined) throw tencentErrors.invalidParameter(key);
    node[part] = value;
    return node;
  }
  if (existing === undefined) {
    const child: Node = nextIsIndex ? [] : {};
    node[part] = child;
    return child as Record<string, Node> | Node[];
  }
  if (typeof existing === "string" || Array.isArray(existing) !== nextIsIndex) throw tencentErrors.invalidParameter(key);
  return existing as Record<string, Node> | Node[];
}

// Sparse arrays (Users.0, Users.2) become dense in index order.
function compact(node: unknown): unknown {
  if (Array.isArray(node)) return node.filter((v) => v !== undefined).map(compact);
  if (node && typeof node === "object") {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, compact(v)]));
  }
  return node;
}
