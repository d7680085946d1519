// The official signature test vectors of the reference (§2.2 TC3, §3 v1) against our signers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import { parseTc3Authorization, sameSignature, tc3AuthorizationHeader, tc3Signature } from "../../src/protocols/tencent/signature-tc3.ts";
import { v1Signature, v1StringToSign } from "../../src/protocols/tencent/signature-v1.ts";

const SECRET_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const SECRET_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
const BODY = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';

const tc3Input = {
  method: "POST",
  path: "/",
  query: "",
  headers: { "content-type": "application/json; charset=utf-8", host: "cvm.tencentcloudapi.com", "x-tc-action": "DescribeInstances" },
  payload: BODY,
  timestamp: 1551113065,
  service: "cvm",
  secretKey: SECRET_KEY,
};

test("TC3 vector: the payload hash of the official example", () => {
  assert.equal(createHash("sha256").update(BODY).digest("hex"), "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
});

test("TC3 vector: SignedHeaders=content-type;host", () => {
  assert.equal(
    tc3Signature({ ...tc3Input, signedHeaders: ["content-type", "host"] }),
    "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
  );
});

test("TC3 vector: SignedHeaders=content-type;host;x-tc-action (value lower-cased)", () => {
  assert.equal(
    tc3Signature({ ...tc3Input, signedHeaders: ["content-type", "host", "x-tc-action"] }),
    "644be983de9a8a3f00db8eadaba61467c3b429e2215758ba897b738ca469fd26",
  );
});

test("TC3: the Authorization header round-trips through the parser", () => {
  const header = tc3AuthorizationHeader({ ...tc3Input, secretId: SECRET_ID });
  assert.equal(
    header,
    `TC3-HMAC-SHA256 Credential=${SECRET_ID}/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168`,
  );
  assert.deepEqual(parseTc3Authorization(header), {
    secretId: SECRET_ID,
    date: "2019-02-25",
    service: "cvm",
    signedHeaders: ["content-type", "host"],
    signature: "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
  });
  assert.equal(parseTc3Authorization(header.replace("TC3-HMAC-SHA256", "TC3-HMAC-SHA1")), null);
  assert.equal(parseTc3Authorization(header.replace(/Signature=\w+/, "Signature=xyz")), null);
});

test("TC3: any change to method, query, payload, service or key changes the signature", () => {
  const base = tc3Signature({ ...tc3Input, signedHeaders: ["content-type", "host"] });
  for (const change of [
    { method: "GET" },
    { query: "a=1" },
    { payload: `${BODY} ` },
    { service: "cvm2" },
    { secretKey: "x" },
    { timestamp: 1551113066 },
  ]) {
    assert.notEqual(tc3Signature({ ...tc3Input, signedHeaders: ["content-type", "host"], ...change }), base, JSON.stringify(change));
  }
});

// TC3 as reference §2 spells it, with createHmac at every step: the signer (its cached key,
// its own last HMAC over one-shot hashes) must agree on any key, service, date and payload,
// non-ASCII ones included (the string to sign is UTF-8).
function referenceTc3(i: typeof tc3Input & { signedHeaders: string[] }): string {
  const h = (data: string) => createHash("sha256").update(data).digest("hex");
  const mac = (key: string | Buffer, msg: string) => createHmac("sha256", key).update(msg).digest();
  const headers = i.signedHeaders.map((n) => `${n}:${(i.headers as Record<string, string>)[n]!.trim().toLowerCase()}\n`).join("");
  const canonical = [i.method, i.path, i.query, headers, i.signedHeaders.join(";"), h(i.payload)].join("\n");
  const date = new Date(i.timestamp * 1000).toISOString().slice(0, 10);
  const toSign = `TC3-HMAC-SHA256\n${i.timestamp}\n${date}/${i.service}/tc3_request\n${h(canonical)}`;
  const key = mac(mac(mac(`TC3${i.secretKey}`, date), i.service), "tc3_request");
  return createHmac("sha256", key).update(toSign).digest("hex");
}

// Shared, as the gateway passes its cached scope's list: the signer keeps the last list's text.
const SIGNED_2 = ["content-type", "host"];
const SIGNED_3 = ["content-type", "host", "x-tc-action"];

test("TC3: the signer agrees with the reference's createHmac chain on any input", () => {
  // Each input signed, then the one before it, then it again: the signer's last signing key
  // and last signed-header list are hit and missed (same key, another service or day, ...).
  let prev: (typeof tc3Input & { signedHeaders: string[] }) | null = null;
  fc.assert(
    fc.property(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.string({ unit: "binary", minLength: 1, maxLength: 20 }),
      fc.integer({ min: 0, max: 4_102_444_800 }),
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.string({ maxLength: 30 }),
      fc.constantFrom(SIGNED_2, SIGNED_3),
      fc.nat(3),
      (secretKey, service, timestamp, payload, host, signedHeaders, reuse) => {
        // Sometimes the previous input's key, service or day, so that only one part differs.
        const p = prev ?? { secretKey, service, timestamp };
        const i = {
          ...tc3Input,
          secretKey: reuse === 1 ? p.secretKey : secretKey,
          service: reuse === 2 ? p.service : service,
          timestamp: reuse === 3 ? p.timestamp : timestamp,
          payload,
          headers: { ...tc3Input.headers, host },
          signedHeaders,
        };
        assert.equal(tc3Signature(i), referenceTc3(i));
        if (prev) assert.equal(tc3Signature(prev), referenceTc3(prev));
        assert.equal(tc3Signature(i), referenceTc3(i));
        prev = i;
      },
    ),
  );
});

// The Authorization parser keeps the parse of everything before the signature: first and
// repeated parses must read any header as the reference shape (one regular expression) does.
const AUTH_SHAPE =
  /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;
const referenceAuth = (h: string) => {
  const m = AUTH_SHAPE.exec(h);
  return m && { secretId: m[1], date: m[2], service: m[3], signedHeaders: m[4]!.split(";"), signature: m[5] };
};

test("TC3: the Authorization parser reads any header as the reference shape does, first and again", () => {
  const part = (chars: string, min: number, max: number) => fc.string({ unit: fc.constantFrom(...chars), minLength: min, maxLength: max });
  // Each part mostly well-formed, sometimes not: both the parse and the refusals are compared.
  const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) =>
    fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: bad, weight: 1 });
  const header = fc.oneof(
    { arbitrary: fc.string({ maxLength: 200 }), weight: 1 },
    {
      arbitrary: fc
        .tuple(
          mostly(fc.constant("TC3-HMAC-SHA256"), fc.constant("TC3-HMAC-SHA1")),
          mostly(part("AKIDx9", 1, 12), part("AKID/x9 ", 0, 12)),
          mostly(fc.constant("2026-11-30"), fc.constantFrom("2026-1-30", "20261130")),
          mostly(part("cvm127.", 1, 8), part("cvm/127 .", 0, 8)),
          mostly(fc.constant("tc3_request"), fc.constant("tc3_requests")),
          mostly(part("content-type;host", 1, 30), part("content-type;host;X,", 0, 30)),
          mostly(part("0123456789abcdef", 64, 64), fc.oneof(part("0123456789abcdefABCDEF", 64, 64), part("0123456789abcdef", 0, 66))),
        )
        .map(
          ([alg, id, date, service, term, signed, sig]) =>
            `${alg} Credential=${id}/${date}/${service}/${term}, SignedHeaders=${signed}, Signature=${sig}`,
        ),
      weight: 4,
    },
  );
  let valid = 0;
  fc.assert(
    fc.property(header, (h) => {
      if (referenceAuth(h)) valid++;
      assert.deepEqual(parseTc3Authorization(h), referenceAuth(h));
      assert.deepEqual(parseTc3Authorization(h), referenceAuth(h));
    }),
    { numRuns: 500 },
  );
  assert.ok(valid > 20, `only ${valid} well-formed headers generated`);
});

const V1_STRING =
  "GETcvm.tencentcloudapi.com/?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&Timestamp=1465185768&Version=2017-03-12";

test("v1 vector: the string to sign sorts parameters in ASCII order with raw values", () => {
  const params = {
    Action: "DescribeInstances",
    "InstanceIds.0": "ins-09dx96dg",
    Limit: "20",
    Nonce: "11886",
    Offset: "0",
    Region: "ap-guangzhou",
    SecretId: SECRET_ID,
    Timestamp: "1465185768",
    Version: "2017-03-12",
    Signature: "ignored",
  };
  assert.equal(v1StringToSign("GET", "cvm.tencentcloudapi.com", "/", params), V1_STRING);
  // ASCII order: InstanceIds.12 sorts before InstanceIds.2.
  assert.match(v1StringToSign("GET", "h", "/", { "InstanceIds.2": "b", "InstanceIds.12": "a" }), /InstanceIds\.12=a&InstanceIds\.2=b$/);
});

test("v1 vector: HmacSHA1 of the official string", () => {
  assert.equal(v1Signature(SECRET_KEY, V1_STRING, "HmacSHA1"), "EliP9YW3pW28FpsEdkXt/+WcGeI=");
  // Absent or unknown SignatureMethod means HmacSHA1, as the real service does.
  assert.equal(v1Signature(SECRET_KEY, V1_STRING, undefined), "EliP9YW3pW28FpsEdkXt/+WcGeI=");
  assert.equal(v1Signature(SECRET_KEY, V1_STRING, "HmacMD5"), "EliP9YW3pW28FpsEdkXt/+WcGeI=");
});

test("v1: HmacSHA256 is a base64 HMAC-SHA256 of the same string", () => {
  const sig = v1Signature(SECRET_KEY, V1_STRING, "HmacSHA256");
  assert.equal(Buffer.from(sig, "base64").length, 32);
  assert.notEqual(sig, "EliP9YW3pW28FpsEdkXt/+WcGeI=");
});

test("signature comparison: equal, different, different length", () => {
  assert.equal(sameSignature("abc", "abc"), true);
  assert.equal(sameSignature("abc", "abd"), false);
  assert.equal(sameSignature("abc", "abcd"), false);
});
