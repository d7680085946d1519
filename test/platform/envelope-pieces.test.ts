// The envelope's answer, one string or a large answer's pieces (envelope.ts), must be
// JSON.stringify's bytes exactly, whatever the values: undefined fields and elements, nested
// objects, unicode, JsonText elements spliced from stored JSON (read3's property, issue 22).
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { JsonText } from "../../src/protocols/tencent/action.ts";
import { pieces, resultBody } from "../../src/protocols/tencent/envelope.ts";

const value = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.string());
const element = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue() },
  { weight: 2, arbitrary: fc.jsonValue().map((v) => new JsonText(JSON.stringify(v))) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
const bytes = (body: string | Buffer[]): Buffer => (typeof body === "string" ? Buffer.from(body) : Buffer.concat(body));
// Equal bytes, or the first differing byte named: assert's diff of two 400 KB Buffers takes minutes.
const sameBytes = (actual: Buffer, wanted: Buffer): void => {
  if (actual.equals(wanted)) return;
  let i = 0;
  while (i < actual.length && actual[i] === wanted[i]) i++;
  assert.fail(`bytes differ from byte ${i} (lengths ${actual.length}, ${wanted.length})`);
};
// What the answer was before the envelope spliced anything: every JsonText parsed (toJSON).
const expected = (response: Record<string, unknown>): Buffer => Buffer.from(JSON.stringify({ Response: response }));

test("pieces: the bytes of JSON.stringify, in pieces of bounded size", () => {
  fc.assert(
    fc.property(
      fc.dictionary(fc.string(), value),
      fc.array(element, { minLength: 257, maxLength: 400 }),
      fc.string(),
      (fields, big, key) => {
        const response = { ...fields, [key]: big, RequestId: "r" };
        sameBytes(bytes(pieces(response)), expected(response));
        sameBytes(bytes(resultBody("r", { ...fields, [key]: big })), expected(response));
      },
    ),
    // No shrinking: a failing 400-element answer shrinks for minutes; the first case is shown.
    { numRuns: 200, endOnFailure: true },
  );
});

test("resultBody: a small answer, with or without stored JSON text, is JSON.stringify's bytes", () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string(), value), fc.array(element, { maxLength: 256 }), fc.string(), (fields, small, key) => {
      const result = { ...fields, [key]: small };
      const body = resultBody("r", result);
      sameBytes(bytes(body), expected({ ...result, RequestId: "r" }));
    }),
    { numRuns: 300, endOnFailure: true },
  );
});

test("resultBody: no big array and no stored text, one JSON.stringify string (gw3's path)", () => {
  assert.equal(resultBody("r", { A: [1, 2, 3] }), '{"Response":{"A":[1,2,3],"RequestId":"r"}}');
});

test("resultBody: a 1000-element answer leaves in pieces of at most 32 KB, each filled but for less than one element", () => {
  const rec = new JsonText(JSON.stringify({ UserId: "u".repeat(300), Time: 1 }));
  const body = resultBody("r", { Total: 1000, MemberRecords: Array.from({ length: 1000 }, () => rec) });
  assert.ok(Array.isArray(body) && body.length > 5);
  for (const b of body.slice(0, -1)) assert.ok(b.length <= 32 * 1024 && b.length > 32 * 1024 - rec.text.length - 1, `${b.length}`);
});

test("pieces: a text longer than a piece, multi-byte text near a piece's end, and a small answer kept as one string", () => {
  // 3-byte and 4-byte characters put the exact byte count at stake where a piece ends.
  const texts = ["中".repeat(40_000), "😀".repeat(9_000), "é".repeat(16_383), "a"];
  const big = Array.from(
    { length: 300 },
    (_, i) => new JsonText(JSON.stringify(texts[i % texts.length]!.slice(0, 1 + ((i * 7919) % 20_000)))),
  );
  const response = { A: big, B: "中😀", RequestId: "r" };
  const body = pieces(response);
  assert.ok(Array.isArray(body));
  sameBytes(bytes(body), expected(response));
  const small = { A: [new JsonText('{"x":"中"}')], RequestId: "r" };
  assert.equal(pieces(small), JSON.stringify({ Response: small }));
});
