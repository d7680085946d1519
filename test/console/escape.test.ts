// Escaping in the console's pages (src/console/html.ts and the page fragments built on it),
// as properties over any string, the dangerous characters favoured: whatever a room name,
// a user name or a message holds, the markup around it keeps the same shape (the same tags
// and attribute quotes as with a harmless value) and the text reads back as given.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { escapeHtml, html, jsonForScript } from "../../src/console/html.ts";
import { timelineSvg } from "../../src/console/timeline.ts";
import { statisticsCsv, statisticsTable } from "../../src/console/statistics-table.ts";
import type { MemberRecord } from "../../src/products/lcic/statistics/statistics.ts";
import { jsonArray } from "../../src/console/quality-page.ts";

const nasty = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      "<",
      ">",
      '"',
      "'",
      "`",
      "&",
      "/",
      "=",
      " ",
      "\n",
      "script",
      "img src=x onerror=alert(1)",
      "</svg>",
      "-->",
      "&lt;",
      "\u2028",
    ),
    fc.string({ maxLength: 2 }),
  ),
  maxLength: 24,
});

const decode = (s: string): string =>
  s.replace(/&(amp|lt|gt|quot|#39|#96);/g, (_m, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#96": "`" })[e]!);

/** The markup's shape: its tags and quotes, the characters an injected value would add. */
const shape = (markup: string): string => markup.replace(/[^<>"'`]/g, "");

test("escapeHtml leaves no markup character and reads back as given", () => {
  fc.assert(
    fc.property(nasty, (s) => {
      const e = escapeHtml(s);
      assert.doesNotMatch(e, /[<>"'`]/);
      assert.equal(decode(e), s);
    }),
  );
});

test("html`` escapes strings and numbers, keeps its own markup, and nests", () => {
  fc.assert(
    fc.property(nasty, nasty, (a, b) => {
      const out = html`<p title="${a}">${b}<b>${html`<i>${a}</i>`}</b></p>`.text;
      assert.equal(shape(out), shape(html`<p title="${"x"}">${"x"}<b>${html`<i>${"x"}</i>`}</b></p>`.text));
    }),
  );
});

test("JSON in a script element cannot close it and parses back", () => {
  fc.assert(
    fc.property(fc.jsonValue(), nasty, (v, s) => {
      const out = jsonForScript({ v, s }).text;
      assert.doesNotMatch(out, /[<>]/);
      assert.deepEqual(JSON.parse(out), JSON.parse(JSON.stringify({ v, s })));
    }),
  );
});

const record = (userId: string, name: string): MemberRecord => ({
  UserId: userId,
  UserName: name,
  PresentTime: 60,
  Camera: 1,
  Mic: 0,
  Silence: 0,
  AnswerQuestions: 0,
  HandUps: 2,
  FirstJoinTimestamp: 1,
  LastQuitTimestamp: 2,
  Rewords: 0,
  IPAddress: name,
  Location: name,
  Device: 5,
  PerMemberMicCount: 0,
  PerMemberMessageCount: 1,
  Role: 0,
  GroupId: name,
  SubGroupId: [name, "g2"],
  Stage: 0,
  CurrentState: 2,
});

test("the timeline and the statistics table keep their shape whatever the names and ids", () => {
  fc.assert(
    fc.property(nasty, nasty, (userId, name) => {
      const render = (id: string, n: string) =>
        timelineSvg({
          members: [{ userId: id, name: n, role: 0 }],
          blocks: [{ userId: id, from: 1000, to: 60_000, end: "quit" }],
          marks: [{ userId: id, at: 2000, kind: "hand" }],
          from: 0,
          to: 120_000,
          hrefOf: (u) => `/console/apps/1/quality?user=${encodeURIComponent(u)}`,
        }).text +
        statisticsTable({
          kind: "ready",
          summary: { PeakMemberNumber: 1, MemberNumber: 1, Total: 1, RealStartTime: 1, RealEndTime: 2, MessageCount: 0, MicCount: 0 },
          records: [record(id, n)],
        }).text;
      assert.equal(shape(render(userId, name)), shape(render("u", "n")));
    }),
  );
});

test("the CSV has one line per record and its fields read back (RFC 4180)", () => {
  fc.assert(
    fc.property(nasty, nasty, (userId, name) => {
      const csv = statisticsCsv([record(userId, name)]);
      assert.ok(csv.endsWith("\r\n"));
      const fields: string[] = [];
      // A tiny RFC 4180 reader for one record after the header.
      const body = csv.slice(csv.indexOf("\r\n") + 2, -2);
      let i = 0;
      while (i <= body.length) {
        if (body[i] === '"') {
          let v = "";
          i++;
          for (;;) {
            if (body[i] === '"' && body[i + 1] === '"') (v += '"'), (i += 2);
            else if (body[i] === '"') break;
            else v += body[i++];
          }
          fields.push(v);
          i += 2;
        } else {
          const end = body.indexOf(",", i);
          fields.push(body.slice(i, end === -1 ? body.length : end));
          i = end === -1 ? body.length + 1 : end + 1;
        }
      }
      assert.equal(fields[0], userId);
      assert.equal(fields[1], name);
      assert.equal(fields[18], `${name};g2`);
      assert.equal(fields.length, 21);
    }),
  );
});

test("a store series text becomes the JSON array of its values, empty fields as null", () => {
  fc.assert(
    fc.property(fc.array(fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }), { minLength: 1 }), (values) => {
      const csv = values.map((v) => (v === null ? "" : String(v))).join(",");
      assert.deepEqual(
        JSON.parse(jsonArray(csv)),
        values.map((v) => (Object.is(v, -0) ? 0 : v)),
      );
    }),
  );
  // What PostgreSQL writes for a float4 it cannot hold as a JSON number is never spliced in.
  assert.deepEqual(JSON.parse(jsonArray("1,NaN,,Infinity")), [1, null, null, null]);
});
