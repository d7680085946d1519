// The one boundary rule (src/protocols/boundary.ts; issue 16, item 3), as a property: NUL
// characters, lone UTF-16 surrogates and numbers past 2^53 (sent as raw JSON literals such as
// 9223372036854775808, which JSON.parse cannot read exactly) are thrown at every field of
// every Tencent action, every ingest event type, every documented native and agent route and
// every Huawei route of every product. The actions, event types and routes are enumerated
// from the product registry and the server's own OpenAPI document, not listed by hand. Every
// answer must be the protocol's own refusal naming the field, never a 5xx or an
// InternalError; on PostgreSQL the row count of every table is unchanged afterwards.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import pg from "pg";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { tc3Post } from "../support/raw-tencent.ts";
import { enabledProducts } from "../../src/products/registry.ts";
import type { ProductContext } from "../../src/product-context.ts";

type Schema = Record<string, any>;
const products = enabledProducts(true);
const RUNS = Number(process.env.ROOMLEDGER_BOUNDARY_RUNS ?? 40);

// --- hostile values ------------------------------------------------------------------------
/** A value to place in a field: a string, or the raw JSON text of a number. */
type Hostile = { kind: "string"; value: string } | { kind: "number"; literal: string };
const core = fc.constantFrom("\u0000", "\ud800", "\udfff", "\udbff", "a\u0000");
const hostileString: fc.Arbitrary<Hostile> = fc
  .tuple(fc.string({ maxLength: 6 }), core, fc.string({ maxLength: 6 }))
  .map(([a, b, c]) => ({ kind: "string", value: a + b + c }));
const hostileNumber: fc.Arbitrary<Hostile> = fc
  .oneof(
    fc.constantFrom("9223372036854775808", "-9223372036854775809", "9007199254740993", "18446744073709551616", "1e300", "-1e19"),
    fc.bigInt({ min: 2n ** 53n, max: 2n ** 70n }).map((n) => String(n)),
    fc.bigInt({ min: -(2n ** 70n), max: -(2n ** 53n) }).map((n) => String(n)),
  )
  .map((literal) => ({ kind: "number", literal }));

// --- schemas: a plausible request, and the paths of its leaves -------------------------------
function plausible(s: Schema): unknown {
  if (Array.isArray(s.anyOf)) return plausible(s.anyOf[0]);
  if ("const" in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  switch (s.type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const name of (s.required ?? []) as string[]) out[name] = plausible(s.properties?.[name] ?? {});
      return out;
    }
    case "array":
      return s.items ? [plausible(s.items)] : [];
    case "integer":
    case "number":
      return typeof s.minimum === "number" ? Math.max(s.minimum, 1) : 1;
    case "boolean":
      return false;
    case "string":
      return "a";
    default:
      return "a";
  }
}

interface Leaf {
  path: (string | number)[];
  numeric: boolean;
}
function leaves(s: Schema, path: (string | number)[] = [], depth = 0): Leaf[] {
  if (depth > 6) return [];
  if (Array.isArray(s.anyOf)) return leaves(s.anyOf.find((o: Schema) => !("const" in o)) ?? s.anyOf[0], path, depth + 1);
  if (s.type === "object") {
    const out = Object.entries((s.properties ?? {}) as Record<string, Schema>).flatMap(([k, v]) => leaves(v, [...path, k], depth + 1));
    // A free-form object (event data, report data, specs) takes any key: put one there.
    if (s.additionalProperties !== false && s.additionalProperties !== undefined) out.push({ path: [...path, "x"], numeric: false });
    if (out.length === 0 && path.length > 0) out.push({ path: [...path, "x"], numeric: false });
    return out;
  }
  if (s.type === "array") return s.items ? leaves(s.items, [...path, 0], depth + 1) : [];
  return [{ path, numeric: s.type === "integer" || s.type === "number" }];
}

const MARK = "\u0001hostile\u0001";
/** The base request with the hostile value at `path`, as JSON text (numbers as raw literals). */
function bodyWith(base: unknown, path: (string | number)[], h: Hostile): string {
  const root = structuredClone(base ?? {}) as any;
  if (path.length === 0) return h.kind === "string" ? JSON.stringify(h.value) : h.literal;
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    if (node[k] === undefined || node[k] === null || typeof node[k] !== "object") node[k] = typeof path[i + 1] === "number" ? [] : {};
    node = node[k];
  }
  node[path.at(-1)!] = h.kind === "string" ? h.value : MARK;
  const text = JSON.stringify(root);
  return h.kind === "string" ? text : text.replace(JSON.stringify(MARK), h.literal);
}
const dotted = (path: (string | number)[]) => path.join(".");

// --- the enumeration ------------------------------------------------------------------------
const actions = products.flatMap((p) =>
  (p.tencent?.actions ?? []).map((a) => ({ product: p.name, version: p.tencent!.version, name: a.name, schema: a.request as Schema })),
);
const eventTypes = products.flatMap((p) => (p.events ?? []).map((e) => ({ product: p.name, type: e.type, data: e.data as Schema })));
// Route tables are built from a context; listing them touches none of it.
const huaweiRoutes = products.flatMap((p) =>
  p.huawei ? p.huawei({ db: {} } as ProductContext).routes.map((r) => ({ product: p.name, ...r })) : [],
);

/** The schema at a leaf's path (object properties, array items). */
function schemaAt(schema: Schema | undefined, path: readonly (string | number)[]): Schema | undefined {
  for (const key of path) {
    if (schema?.type === "object") schema = (schema.properties as Record<string, Schema> | undefined)?.[String(key)];
    else if (schema?.type === "array") schema = schema.items as Schema | undefined;
    else return undefined;
  }
  return schema;
}

let tried = 0;
const fivexx: string[] = [];

for (const backend of backends()) {
  describe(`boundary rule (${backend})`, () => {
    let server: TestServer;
    let key: string;
    let alone: Record<string, string> = {};
    let pgClient: pg.Client | null = null;
    before(async () => {
      server = await startServer({ backend, args: ["--rate-limit", "0"] });
      const together = products.filter((p) => !p.appAlone && !p.devOnly).map((p) => p.name);
      const appId = await server.createApp(together);
      key = await server.ingestKey(appId);
      alone = {};
      for (const p of products.filter((p) => p.appAlone)) alone[p.name] = await server.ingestKey(await server.createApp([p.name]));
      if (server.databaseUrl) {
        pgClient = new pg.Client({ connectionString: server.databaseUrl });
        await pgClient.connect();
      }
    });
    after(async () => {
      await pgClient?.end();
      await server?.stop();
    });

    async function rowCounts(): Promise<Record<string, number> | null> {
      if (!pgClient) return null;
      const tables = await pgClient.query<{ t: string }>(
        "select format('%I.%I', schemaname, tablename) as t from pg_tables where schemaname not in ('pg_catalog','information_schema')",
      );
      const out: Record<string, number> = {};
      for (const { t } of tables.rows) {
        // The rate limiter's and the request log's own rows are not what a request stores.
        if (/rate_limit|limiter/.test(t)) continue;
        // RTC's day partitions come and go with its upkeep job (a second after start); their
        // rows are counted in their parent, rtc_qos_samples.
        if (/rtc_qos_samples_p\d{8}/.test(t)) continue;
        out[t] = Number((await pgClient.query<{ n: string }>(`select count(*) as n from ${t}`)).rows[0]!.n);
      }
      return out;
    }

    test("every Tencent action: InvalidParameterValue naming the field", async () => {
      const before = await rowCounts();
      const leafy = actions.flatMap((a) => leaves(a.schema).map((leaf) => ({ a, leaf })));
      assert.ok(actions.length >= 40 && leafy.length > actions.length, `${actions.length} actions, ${leafy.length} fields`);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...leafy), fc.oneof(hostileString, hostileNumber), async ({ a, leaf }, h) => {
          tried++;
          const payload = bodyWith(plausible(a.schema), leaf.path, h);
          const r = await tc3Post(server, { action: a.name, version: a.version, rawBody: payload });
          if (r.status >= 500) fivexx.push(`${a.name} ${r.status}`);
          const err = r.json.Response.Error;
          assert.ok(err, `${a.name} ${dotted(leaf.path)} accepted ${payload}`);
          assert.notEqual(err.Code, "InternalError", `${a.name} ${dotted(leaf.path)}: ${err.Message}`);
          // A field declared `ownRange` answers an out-of-range number with its action's own
          // code (GME's InvalidBizId / InvalidTaskId, as the cloud): any refusal but InternalError.
          if (h.kind === "number" && schemaAt(a.schema, leaf.path)?.ownRange === true) return;
          assert.equal(err.Code, "InvalidParameterValue", `${a.name} ${dotted(leaf.path)}: ${err.Code} ${err.Message}`);
          assert.ok(err.Message.includes(`\`${dotted(leaf.path)}\``), `${a.name}: ${err.Message} does not name ${dotted(leaf.path)}`);
        }),
        { numRuns: RUNS * 10 },
      );
      assert.deepEqual(await rowCounts(), before);
    });

    test("every ingest event type: 400 naming the event index and field", async () => {
      const before = await rowCounts();
      const leafy = eventTypes.flatMap((e) => leaves({ type: "object", properties: { data: e.data } }).map((leaf) => ({ e, leaf })));
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...leafy), fc.oneof(hostileString, hostileNumber), fc.nat(2), async ({ e, leaf }, h, at) => {
          tried++;
          const good = { id: "ok", type: e.type, ctime: 1_700_000_000_000, data: plausible(e.data) };
          const hostile = bodyWith({ ...good, id: "bad" }, leaf.path, h);
          const lines = [JSON.stringify(good), JSON.stringify({ ...good, id: "ok2" }), JSON.stringify({ ...good, id: "ok3" })];
          lines[at] = hostile;
          const res = await fetch(`${server.url}/ingest/v1/events`, {
            method: "POST",
            headers: { authorization: `Bearer ${key}`, "content-type": "application/x-ndjson" },
            body: lines.join("\n"),
          });
          const body = (await res.json()) as any;
          if (res.status >= 500) fivexx.push(`ingest ${e.type} ${res.status}`);
          assert.equal(res.status, 400, `${e.type} ${dotted(leaf.path)}: ${JSON.stringify(body)}`);
          const bad = body.error?.events?.find((b: any) => b.index === at);
          assert.ok(
            bad?.reason.includes(dotted(leaf.path)),
            `${e.type}: ${JSON.stringify(body.events)} should name ${at} ${dotted(leaf.path)}: ${JSON.stringify(body)}`,
          );
        }),
        { numRuns: RUNS * 3 },
      );
      assert.deepEqual(await rowCounts(), before);
    });

    test("every documented native and agent route with a body: 400 naming the field, never 5xx", async () => {
      const before = await rowCounts();
      const doc = (await (await fetch(`${server.url}/docs/json`)).json()) as any;
      const routes: { method: string; path: string; schema: Schema; type: string }[] = [];
      for (const [path, ops] of Object.entries(doc.paths as Record<string, any>)) {
        if (path === "/" || path.startsWith("/ingest/v1/events")) continue; // the gateway and ingest: above
        for (const [method, op] of Object.entries(ops as Record<string, any>)) {
          const content = op.requestBody?.content ?? {};
          const [type, media] = Object.entries(content)[0] ?? [];
          const schema = (media as any)?.schema;
          if (schema) routes.push({ method: method.toUpperCase(), path, schema, type: type! });
        }
      }
      assert.ok(routes.length >= 3, JSON.stringify(routes.map((r) => r.path)));
      const leafy = routes.flatMap((r) => leaves(r.schema).map((leaf) => ({ r, leaf })));
      let reached = 0;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...leafy), fc.oneof(hostileString, hostileNumber), async ({ r, leaf }, h) => {
          tried++;
          const url = server.url + r.path.replace(/\{[^}]+\}/g, "1");
          const bearer = Object.entries(alone).find(([p]) => r.path.includes(`/${p}/`))?.[1] ?? key;
          const send = (type: string) =>
            fetch(url, {
              method: r.method,
              headers: { authorization: `Bearer ${bearer}`, "content-type": type },
              body: bodyWith(plausible(r.schema), leaf.path, h),
            });
          let res = await send(r.type);
          // A stream route documents one line's schema; its body is NDJSON.
          if (res.status === 415) res = await send("application/x-ndjson");
          const text = await res.text();
          if (res.status >= 500) fivexx.push(`${r.method} ${r.path} ${res.status}`);
          assert.ok(res.status < 500, `${r.method} ${r.path} ${dotted(leaf.path)}: ${res.status} ${text}`);
          assert.doesNotThrow(() => JSON.parse(text), text);
          // Routes with credentials of their own (device tokens) refuse before the body: 401/403.
          if (res.status === 400) {
            reached++;
            assert.ok(text.includes(dotted(leaf.path).replace(/^0\./, "")), `${r.path}: ${text} should name ${dotted(leaf.path)}`);
          } else assert.ok([401, 403, 404].includes(res.status), `${r.path}: ${res.status} ${text}`);
        }),
        { numRuns: RUNS * 3 },
      );
      assert.ok(reached > 0);
      assert.deepEqual(await rowCounts(), before);
    });

    test("every Huawei route: the gateway's own 400 for a hostile query or path parameter", async () => {
      assert.ok(huaweiRoutes.length >= 1);
      const { token } = await server.admin<{ token: string }>("POST", "/rtc/tokens", { label: "boundaries" });
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...huaweiRoutes), hostileString, fc.boolean(), async (route, h, inPath) => {
          tried++;
          if (h.kind !== "string") return;
          const enc = Buffer.from(h.value, "utf8").toString("hex").replace(/(..)/g, "%$1");
          // A lone surrogate cannot be UTF-8: its CESU bytes (what a careless client sends) are refused as undecodable.
          const value = h.value.isWellFormed() ? enc : `${encodeURIComponent(h.value.replace(/[\ud800-\udfff]/g, ""))}%ED%A0%80`;
          const params = route.path.split("/").filter((s) => s.startsWith(":") && s !== ":project_id");
          let path = `/v1${route.path.replace(":project_id", server.huaweiProjectId)}`;
          if (inPath && params.length > 0) path = path.replace(params[0]!, value);
          else path = path.replace(/:[a-z_]+/g, "1");
          const res = await fetch(`${server.url}${path}?mid=${value}&x=1`, { method: route.method, headers: { "x-auth-token": token } });
          const body = (await res.json()) as any;
          if (res.status >= 500) fivexx.push(`huawei ${route.name} ${res.status}`);
          assert.equal(res.status, 400, JSON.stringify(body));
          assert.equal(typeof body.error_code, "string");
          assert.equal(typeof body.error_msg, "string");
        }),
        { numRuns: RUNS },
      );
    });
  });
}

after(() => {
  // The figures the issue asks for, in the test output.
  console.log(`boundary property tests: ${tried} hostile inputs tried, ${fivexx.length} answers of HTTP 5xx`);
  assert.deepEqual(fivexx, []);
});
