// Unit and property tests of the parity checker: the model parser reads every interface of
// the four services' d.ts, and the checker finds each kind of planted deviation (an extra
// key, a missing key, a null where not allowed, a wrong type deep down) in hand-made and in
// generated answers, and nothing in answers that follow the model.
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { checkAnswer, checkRequest, type DeviationKind } from "./check.ts";
import { loadModel, modelPath, parseModels, type FieldType, type Model } from "./model.ts";

const SERVICES = [
  { service: "lcic", version: "2022-08-17", interfaces: 206, nullTypes: 1 },
  { service: "tiw", version: "2019-09-19", interfaces: 91, nullTypes: 0 },
  { service: "trro", version: "2022-03-25", interfaces: 102, nullTypes: 1 },
  { service: "gme", version: "2018-07-11", interfaces: 122, nullTypes: 0 },
] as const;

const kinds = (ds: { kind: DeviationKind; path: string }[]) => ds.map((d) => `${d.kind} ${d.path}`).sort();

describe("the SDK's model files", () => {
  for (const s of SERVICES)
    test(`${s.service}: every interface and field of the d.ts is parsed`, () => {
      const text = readFileSync(modelPath(s.service, s.version), "utf8");
      const m = loadModel(s.service, s.version);
      // Counted independently of the parser, on the raw text.
      assert.equal(m.interfaces.size, text.match(/^export interface /gm)!.length);
      assert.equal(m.interfaces.size, s.interfaces);
      assert.equal(m.nullTypes.size, s.nullTypes);
      const fields = [...m.interfaces.values()].reduce((n, it) => n + it.fields.size, 0);
      assert.equal(fields, text.match(/^ {4}\w+\??: .+;$/gm)!.length);
    });

  test("the parser refuses what is outside its grammar", () => {
    const ok = "/**\n * doc\n */\nexport interface A {\n    /**\n     * x\n     */\n    X?: Array<number | bigint>;\n}\n";
    assert.equal(parseModels(ok).interfaces.get("A")!.fields.get("X")!.type.kind, "array");
    for (const bad of [
      ok.replace("Array<number | bigint>", "Map<string, number>"),
      ok.replace("Array<number | bigint>", "Array<Array<string>>"),
      ok.replace("X?:", "X!:"),
      ok.replace("    /**\n     * x\n     */\n", ""),
      ok.replace("export interface A {", "export declare class A {"),
      ok.replace("number | bigint", "B"),
      ok.replace("}\n", ""),
    ])
      assert.throws(() => parseModels(bad), bad);
  });

  test("'may be null' is read from the field's doc", () => {
    const lcic = loadModel("lcic", "2022-08-17");
    assert.equal(lcic.interfaces.get("MemberRecord")!.fields.get("SubGroupId")!.nullable, true);
    assert.equal(lcic.interfaces.get("MemberRecord")!.fields.get("GroupId")!.nullable, false);
  });
});

describe("the checker on hand-made answers", () => {
  const gme = loadModel("gme", "2018-07-11");
  const lcic = loadModel("lcic", "2022-08-17");
  const apps = () => ({
    ApplicationList: [
      {
        ServiceConf: {
          RealTimeSpeech: { Status: 1 },
          VoiceMessage: { Status: 1 },
          Porn: { Status: 0 },
          Live: { Status: 0 },
          RealTimeAsr: { Status: 0 },
          TextTranslate: { Status: 0 },
        },
        BizId: 1400000001,
        AppName: "voice",
        ProjectId: 0,
        AppStatus: 0,
        CreateTime: 1790000000,
        AppType: 0,
      },
    ],
    Total: 1,
    RequestId: "8c2d6f3e-0000-4000-8000-000000000000",
  });

  test("an answer that follows the model has no deviation", () => {
    assert.deepEqual(checkAnswer(gme, "DescribeApplicationList", apps()), []);
  });

  test("(a) an extra key, at any depth", () => {
    const a = apps();
    (a.ApplicationList[0]!.ServiceConf as Record<string, unknown>).Extra = 1;
    (a as Record<string, unknown>).Debug = true;
    assert.deepEqual(kinds(checkAnswer(gme, "DescribeApplicationList", a)), [
      "extra-key ApplicationList[0].ServiceConf.Extra",
      "extra-key Debug",
    ]);
  });

  test("(b) a missing key, and a missing RequestId", () => {
    const a = apps() as Record<string, any>;
    delete a.ApplicationList[0].AppName;
    delete a.RequestId;
    assert.deepEqual(kinds(checkAnswer(gme, "DescribeApplicationList", a)), [
      "missing-key ApplicationList[0].AppName",
      "missing-key RequestId",
    ]);
    // A path a case leaves out on purpose is allowed, and only that path.
    assert.deepEqual(kinds(checkAnswer(gme, "DescribeApplicationList", a, { absent: ["ApplicationList[].AppName"] })), [
      "missing-key RequestId",
    ]);
  });

  test("(c) null where the model does not allow it; allowed where it does", () => {
    const a = apps() as Record<string, any>;
    a.ApplicationList[0].ServiceConf.Live = null;
    a.Total = null;
    assert.deepEqual(kinds(checkAnswer(gme, "DescribeApplicationList", a)), ["null ApplicationList[0].ServiceConf.Live", "null Total"]);
    // The GME defect of issue 21: DescribeTaskInfo's SubscribeRecordUserIds lists may not be null.
    const task = {
      TaskId: 1,
      RecordMode: 1,
      SubscribeRecordUserIds: { UnSubscribeUserIds: null, SubscribeUserIds: ["a"] },
      RequestId: "r",
    };
    assert.deepEqual(kinds(checkAnswer(gme, "DescribeTaskInfo", task)), ["null SubscribeRecordUserIds.UnSubscribeUserIds"]);
    const record = {
      UserId: "u",
      UserName: "n",
      PresentTime: 0,
      Camera: 0,
      Mic: 0,
      Silence: 0,
      AnswerQuestions: 0,
      HandUps: 0,
      FirstJoinTimestamp: 0,
      LastQuitTimestamp: 0,
      Rewords: 0,
      IPAddress: "",
      Location: "",
      Device: 0,
      PerMemberMicCount: 0,
      PerMemberMessageCount: 0,
      Role: 0,
      GroupId: "",
      SubGroupId: null,
      Stage: 0,
      CurrentState: 0,
    };
    const list = { Total: 1, MemberRecords: [record], RequestId: "r" };
    assert.deepEqual(checkAnswer(lcic, "DescribeCurrentMemberList", list), []);
    assert.deepEqual(kinds(checkAnswer(lcic, "DescribeCurrentMemberList", { ...list, MemberRecords: [null] })), ["null MemberRecords[0]"]);
  });

  test("(d) a wrong type two levels deep, and at the top", () => {
    const a = apps() as Record<string, any>;
    a.ApplicationList[0].ServiceConf.Porn.Status = "0";
    a.ApplicationList[0].BizId = "1400000001";
    a.Total = [1];
    assert.deepEqual(kinds(checkAnswer(gme, "DescribeApplicationList", a)), [
      "type ApplicationList[0].BizId",
      "type ApplicationList[0].ServiceConf.Porn.Status",
      "type Total",
    ]);
  });

  test("int64 list elements must be integers; the answer must be an object; RequestId non-empty", () => {
    const m = parseModels(
      "export interface XResponse {\n    /**\n     * ids\n     */\n    Ids?: Array<number | bigint>;\n    /**\n     * id\n     */\n    RequestId?: string;\n}\n",
    );
    assert.deepEqual(checkAnswer(m, "X", { Ids: [1, 2 ** 53 - 1], RequestId: "r" }), []);
    assert.deepEqual(kinds(checkAnswer(m, "X", { Ids: [1.5, "2", null], RequestId: "r" })), ["null Ids[2]", "type Ids[0]", "type Ids[1]"]);
    assert.deepEqual(kinds(checkAnswer(gme, "DescribeApplicationList", "x")), ["type (answer)"]);
    assert.deepEqual(kinds(checkAnswer(gme, "DescribeApplicationList", { ...apps(), RequestId: "" })), ["type RequestId"]);
  });

  test("requests: required fields, known keys, types", () => {
    assert.deepEqual(checkRequest(gme, "DescribeTaskInfo", { BizId: 1, RoomId: "r" }), []);
    assert.deepEqual(kinds(checkRequest(gme, "DescribeTaskInfo", { RoomId: 5, Foo: 1 })), [
      "extra-key Foo",
      "missing-key BizId",
      "type RoomId",
    ]);
    assert.deepEqual(checkRequest(lcic, "DescribeDeveloper", {}), []);
    assert.deepEqual(kinds(checkRequest(lcic, "DescribeDeveloper", { X: 1 })), ["extra-key (request)"]);
  });
});

// ---- Generated answers: valid by construction, then one planted deviation. ----

const MAX_DEPTH = 6;

function arbitraryOf(model: Model, t: FieldType, depth: number): fc.Arbitrary<unknown> {
  switch (t.kind) {
    case "string":
      return fc.string({ maxLength: 8 });
    case "number":
      return fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
    case "int64":
      return fc.maxSafeInteger();
    case "boolean":
      return fc.boolean();
    case "array":
      return depth > MAX_DEPTH ? fc.constant([]) : fc.array(arbitraryOf(model, t.of, depth + 1), { maxLength: 2 });
    case "ref":
      return objectOf(model, t.name, depth + 1);
  }
}

function objectOf(model: Model, name: string, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const it = model.interfaces.get(name)!;
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of it.fields.values()) {
    const v = f.name === "RequestId" ? fc.uuid() : arbitraryOf(model, f.type, depth);
    shape[f.name] = f.nullable ? fc.option(v, { nil: null }) : v;
  }
  return fc.record(shape);
}

/** Every object node of a generated answer with its interface and path. */
function nodes(
  model: Model,
  name: string,
  v: Record<string, unknown>,
  path: string,
  out: { name: string; v: Record<string, unknown>; path: string }[],
) {
  out.push({ name, v, path });
  for (const f of model.interfaces.get(name)!.fields.values()) {
    const walk = (t: FieldType, x: unknown, p: string) => {
      if (x === null) return;
      if (t.kind === "ref") nodes(model, t.name, x as Record<string, unknown>, p, out);
      if (t.kind === "array") (x as unknown[]).forEach((el, i) => walk(t.of, el, `${p}[${i}]`));
    };
    walk(f.type, v[f.name], path ? `${path}.${f.name}` : f.name);
  }
}

const wrongValue = (t: FieldType): unknown =>
  t.kind === "string" ? 7 : t.kind === "number" || t.kind === "int64" ? "7" : t.kind === "boolean" ? 1 : t.kind === "array" ? {} : [];

for (const s of SERVICES) {
  const model = loadModel(s.service, s.version);
  const responses = [...model.interfaces.keys()].filter((n) => n.endsWith("Response"));
  test(`${s.service}: generated answers of all ${responses.length} responses pass; one planted deviation is found`, () => {
    const answer = fc.constantFrom(...responses).chain((name) => fc.tuple(fc.constant(name), objectOf(model, name, 0)));
    const plant = fc.record({
      node: fc.nat(),
      field: fc.nat(),
      kind: fc.constantFrom<DeviationKind>("extra-key", "missing-key", "null", "type"),
    });
    fc.assert(
      fc.property(answer, plant, ([name, value], p) => {
        const action = name.replace(/Response$/, "");
        assert.deepEqual(checkAnswer(model, action, value), []);
        const all: { name: string; v: Record<string, unknown>; path: string }[] = [];
        nodes(model, name, value, "", all);
        const node = all[p.node % all.length]!;
        const fields = [...model.interfaces.get(node.name)!.fields.values()].filter((f) => !(p.kind === "null" && f.nullable));
        const at = (k: string) => (node.path ? `${node.path}.${k}` : k);
        if (p.kind === "extra-key" || !fields.length) {
          node.v.NotInTheModel = 1;
          assert.deepEqual(kinds(checkAnswer(model, action, value)), [`extra-key ${at("NotInTheModel")}`]);
          return;
        }
        const f = fields[p.field % fields.length]!;
        if (p.kind === "missing-key") delete node.v[f.name];
        else if (p.kind === "null") node.v[f.name] = null;
        else node.v[f.name] = wrongValue(f.type);
        assert.deepEqual(kinds(checkAnswer(model, action, value)), [`${p.kind} ${at(f.name)}`]);
      }),
      { numRuns: 200 },
    );
  });
}
