// Runs the parity cases: collects test/parity/<service>/*.cases.ts, asserts that they cover
// exactly the actions each product declares, and on each backend starts one server and
// checks every case's answer against the SDK's model.
import { readdirSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Product } from "../../src/products/product.ts";
import { backends, type Backend } from "../support/postgres.ts";
import { startServer, type TestServer } from "../support/server.ts";
import { clientConfig, sdk } from "../support/tencent.ts";
import type { ParityCase, ParityContext } from "./case.ts";
import { checkAnswer, checkRequest, formatDeviations } from "./check.ts";
import { loadModel, type Model } from "./model.ts";

/** Every case of a service folder, from its *.cases.ts files in name order. */
export async function loadCases(dir: URL): Promise<{ file: string; case: ParityCase }[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".cases.ts"))
    .sort();
  const out: { file: string; case: ParityCase }[] = [];
  for (const file of files) {
    const mod = (await import(new URL(file, dir).href)) as { default?: ParityCase[] };
    if (!Array.isArray(mod.default)) throw new Error(`${file} must default-export an array of parity cases`);
    for (const c of mod.default) out.push({ file, case: c });
  }
  return out;
}

/** A path's values must all be present and non-null, lists non-empty ("A[].B"). */
export function unpopulated(answer: unknown, path: string): string | null {
  const walk = (v: unknown, parts: string[], at: string): string | null => {
    if (v === null || v === undefined) return `${at || "(answer)"} is ${v}`;
    if (!parts.length) return null;
    const [head, ...rest] = parts;
    const list = head!.endsWith("[]");
    const key = list ? head!.slice(0, -2) : head!;
    const next = (v as Record<string, unknown>)[key];
    const here = at ? `${at}.${key}` : key;
    if (!list) return walk(next, rest, here);
    if (!Array.isArray(next)) return `${here} is not a list`;
    if (!next.length) return `${here} is empty`;
    for (let i = 0; i < next.length; i++) {
      const miss = walk(next[i], rest, `${here}[${i}]`);
      if (miss) return miss;
    }
    return null;
  };
  return walk(answer, path.split("."), "");
}

export interface ParityService {
  product: Product;
  /** The folder of the service's case files. */
  dir: URL;
}

interface Loaded {
  name: string;
  model: Model;
  cases: { file: string; case: ParityCase }[];
  Client: new (config: never) => any;
}

/**
 * Declares, per service, the coverage test, and per backend one server for all services
 * (a server start is most of the run's time) with a suite per service and a test per case.
 * Services run one after another on a server: cases may move its clock.
 */
export async function runParity(services: ParityService[]): Promise<void> {
  const loaded: Loaded[] = [];
  for (const { product, dir } of services) {
    const service = product.tencent!;
    const cases = await loadCases(dir);
    const declared = service.actions.map((a) => a.name).sort();
    test(`${service.service} parity: the cases cover exactly the ${declared.length} declared actions`, () => {
      const covered = [...new Set(cases.map((c) => c.case.action))].sort();
      assert.deepEqual(
        { withoutCase: declared.filter((a) => !covered.includes(a)), notDeclared: covered.filter((a) => !declared.includes(a)) },
        { withoutCase: [], notDeclared: [] },
      );
    });
    loaded.push({
      name: service.service,
      model: loadModel(service.service, service.version),
      cases,
      Client: (sdk as any)[service.service][`v${service.version.replaceAll("-", "")}`].Client,
    });
  }

  // Both backends' servers start together on the first `before`; each suite then awaits
  // and stops its own.
  let starting: Map<Backend, Promise<TestServer>> | null = null;
  const serverOf = (backend: Backend) => {
    starting ??= new Map(
      backends().map((b) => {
        const p = startServer({ backend: b });
        p.catch(() => {}); // awaited (and reported) by its own suite
        return [b, p];
      }),
    );
    return starting.get(backend)!;
  };

  for (const backend of backends()) {
    describe(`parity (${backend})`, () => {
      let server: TestServer;
      before(async () => {
        server = await serverOf(backend);
      });
      after(() => server?.stop());
      for (const svc of loaded) describe(svc.name, () => declareCases(svc, () => server));
    });
  }
}

function declareCases({ model, cases, Client }: Loaded, getServer: () => TestServer): void {
  for (const { file, case: c } of cases) {
    const title = `${c.action}${c.name ? ` (${c.name})` : ""} [${file}]`;
    test(title, c.todo ? { todo: c.todo } : {}, async () => {
      const server = getServer();
      const client = new Client(clientConfig(server) as never);
      let answer: unknown;
      let answered = false;
      const ctx: ParityContext = {
        server,
        client,
        async call(action, request = {}) {
          const bad = checkRequest(model, action, request);
          assert.equal(bad.length, 0, `the case's ${action} request is not valid per the SDK's model:\n${formatDeviations(bad)}`);
          const res = await client[action](request);
          if (action === c.action) {
            answer = res;
            answered = true;
          }
          return res;
        },
      };
      await c.run(ctx);
      assert.ok(answered, `the case never called ${c.action} through ctx.call`);
      const deviations = checkAnswer(model, c.action, answer, { absent: c.absent });
      assert.equal(
        deviations.length,
        0,
        `${c.action}'s answer deviates from the SDK's model:\n${formatDeviations(deviations)}\nanswer: ${JSON.stringify(answer)}`,
      );
      for (const p of c.populated ?? []) {
        const miss = unpopulated(answer, p);
        assert.equal(miss, null, `the case should make data for ${p}: ${miss}`);
      }
    });
  }
}
