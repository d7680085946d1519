// The Tencent validator's string length bound, in UTF-8 bytes (validate.ts): it measures only
// the strings whose length in UTF-16 units leaves the answer open, so this checks it against
// Buffer.byteLength on any string, astral characters and lone surrogates included. No server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Type } from "@sinclair/typebox";
import fc from "fast-check";
import { isApiError } from "../../src/errors/api-error.ts";
import { validateRequest } from "../../src/protocols/tencent/validate.ts";

const pieces = fc.constantFrom("a", "é", "中", "😀", "\uD800", "\uDC00", "\u0000");
const anyString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.array(pieces, { maxLength: 40 }).map((p) => p.join("")),
);

test("maxLength: a string is refused exactly when its UTF-8 bytes exceed the bound", () => {
  fc.assert(
    fc.property(anyString, fc.nat(90), (s, max) => {
      const schema = Type.Object({ S: Type.String({ maxLength: max }) });
      // The boundary rule (NUL, lone surrogates) answers first, with its own message.
      const boundaryFault = s.includes("\u0000") || !s.isWellFormed();
      const tooLong = !boundaryFault && Buffer.byteLength(s) > max;
      let message: string | null = null;
      try {
        validateRequest(schema, { S: s });
      } catch (err) {
        assert.ok(isApiError(err), String(err));
        message = err.message;
      }
      assert.equal(message === null, !boundaryFault && !tooLong, `${JSON.stringify(s)} (max ${max}): ${message}`);
      assert.equal(message === `The value of parameter \`S\` is invalid: at most ${max} bytes.`, tooLong, String(message));
    }),
    { numRuns: 2000 },
  );
});
