// SDK-HMAC-SHA256 verification: the reference's test vector, and property tests against the
// real SDK signers (AKSKSigner and DerivedAKSKSigner from @huaweicloud/huaweicloud-sdk-core)
// on arbitrary queries and keys.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js";
import { DerivedAKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/DerivedAKSKSigner.js";
import { HKDF } from "@huaweicloud/huaweicloud-sdk-core/auth/HKDF.js";
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js";
import { stringify } from "node:querystring";
import {
  canonicalRequest,
  decodeQuery,
  derivedSigningKey,
  parseAuthorization,
  parseSdkDate,
  payloadHashOf,
  sha256Hex,
  signature,
  stringToSign,
} from "../../src/protocols/huawei/signature.ts";

const AK = "AKTEST0000000000";
const SK = "SKTEST0000000000000000000000000000000000";
const PROJECT = "0123456789abcdef0123456789abcdef";

describe("Huawei AK/SK signatures (SDK-HMAC-SHA256, V11-HMAC-SHA256)", () => {
  test("the reference's test vector (§4.3)", () => {
    const date = "20240101T010203Z";
    const canonical = canonicalRequest({
      method: "GET",
      rawPath: `/v1/${PROJECT}/rtc/client/qos/details`,
      pairs: decodeQuery(
        "app_id=app1&room_id=room%201&mid=appcpu%2Cvbit&start_time=2024-01-01T00%3A00%3A00Z&end_time=2024-01-01T01%3A00%3A00Z",
      ),
      signedHeaders: ["content-type", "host", "x-project-id", "x-sdk-date"],
      headers: { "content-type": "application/json", host: "127.0.0.1:8080", "x-project-id": PROJECT, "x-sdk-date": date },
      payloadHash: payloadHashOf(null),
      sdkDate: date,
    });
    assert.equal(sha256Hex(canonical), "0f31717e1cc8361edde304b2bb0ba88eb8a5f49602acf1e1ffc63bb400f41e4c");
    assert.equal(signature(SK, stringToSign(date, canonical)), "3241d0735f2c21e627a819a053b3c2c6b9e8781a72b51085374f7233d130878b");
  });

  test("parses the Authorization header and refuses other shapes", () => {
    const a = parseAuthorization(`SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=content-type;host;x-sdk-date, Signature=ABCDEF01`);
    assert.deepEqual(a, { accessKey: AK, signedHeaders: ["content-type", "host", "x-sdk-date"], signature: "abcdef01" });
    assert.deepEqual(
      parseAuthorization(`V11-HMAC-SHA256 Credential=${AK}/20240101/cn-north-4/rtc, SignedHeaders=host;x-sdk-date, Signature=0A`),
      {
        accessKey: AK,
        scope: "20240101/cn-north-4/rtc",
        signedHeaders: ["host", "x-sdk-date"],
        signature: "0a",
      },
    );
    for (const scope of ["2024011/r/s", "20240101/r", "20240101/r/s/x", "20240101//s"]) {
      assert.equal(parseAuthorization(`V11-HMAC-SHA256 Credential=${AK}/${scope}, SignedHeaders=host, Signature=00`), null, scope);
    }
    assert.equal(parseAuthorization(`V11-HMAC-SHA256 Access=${AK}, SignedHeaders=host, Signature=00`), null);
    assert.equal(parseAuthorization("SDK-HMAC-SHA256, Access=a, SignedHeaders=host, Signature=00"), null);
    assert.equal(parseAuthorization(""), null);
  });

  test("X-Sdk-Date: the basic format only, real dates only", () => {
    assert.equal(parseSdkDate("20240101T010203Z"), Date.UTC(2024, 0, 1, 1, 2, 3));
    for (const bad of ["2024-01-01T01:02:03Z", "20241301T010203Z", "20240230T010203Z", "20240101T250203Z", "20240101T010203"]) {
      assert.equal(parseSdkDate(bad), null, bad);
    }
  });

  for (const derived of [false, true]) {
    const signer = derived ? "DerivedAKSKSigner (V11-HMAC-SHA256)" : "AKSKSigner";
    test(`property: our verification matches the real SDK's ${signer} for any query`, () => {
      const key = fc.string({ minLength: 1, maxLength: 8, unit: "grapheme" });
      const value = fc.oneof(
        fc.string({ maxLength: 12, unit: "grapheme" }),
        fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 3 }),
      );
      fc.assert(
        fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (queryParams) => {
          const cred = new BasicCredentials().withAk(AK).withSk(SK).withProjectId(PROJECT);
          if (derived) cred.processDerivedAuthParams("rtc", "cn-north-4");
          const request = {
            method: "GET",
            endpoint: `http://127.0.0.1:8080/v1/${PROJECT}/rtc/client/qos/details`,
            queryParams,
            headers: { "content-type": "application/json", "X-Project-Id": PROJECT },
          };
          const signed = (derived ? DerivedAKSKSigner : AKSKSigner).sign(request as never, cred as never) as Record<string, string>;
          const auth = parseAuthorization(signed.Authorization!)!;
          assert.equal(auth.scope, derived ? `${signed["X-Sdk-Date"]!.slice(0, 8)}/cn-north-4/rtc` : undefined);
          // What goes on the wire: Node's querystring, as the SDK's HTTP client sends it.
          const rawQuery = stringify(queryParams as Record<string, string | string[]>);
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(signed)) headers[k.toLowerCase()] = v;
          const canonical = canonicalRequest({
            method: "GET",
            rawPath: `/v1/${PROJECT}/rtc/client/qos/details`,
            pairs: decodeQuery(rawQuery),
            signedHeaders: auth.signedHeaders,
            headers,
            payloadHash: payloadHashOf(null),
            sdkDate: headers["x-sdk-date"]!,
          });
          const signingKey = auth.scope === undefined ? SK : derivedSigningKey(AK, SK, auth.scope);
          assert.equal(signature(signingKey, stringToSign(headers["x-sdk-date"]!, canonical, auth.scope)), auth.signature);
        }),
        { numRuns: 300 },
      );
    });
  }

  test("property: any V11 Authorization that parses has a scope a key can be derived for", () => {
    const segment = fc.string({ maxLength: 300, unit: "binary", size: "max" });
    fc.assert(
      fc.property(segment, segment, (region, service) => {
        const auth = parseAuthorization(`V11-HMAC-SHA256 Credential=${AK}/20240101/${region}/${service}, SignedHeaders=host, Signature=00`);
        if (auth) assert.equal(derivedSigningKey(AK, SK, auth.scope!).length, 64);
      }),
      // No shrinking: a 300-character scope shrinks for minutes.
      { numRuns: 500, endOnFailure: true },
    );
  });

  test("property: the derived key is the SDK's HKDF for any AK, SK and scope", () => {
    const text = fc.string({ minLength: 1, maxLength: 40, unit: "grapheme" });
    fc.assert(
      fc.property(text, text, text, (ak, sk, scope) => {
        assert.equal(derivedSigningKey(ak, sk, scope), HKDF.getDerKeySHA256(ak, sk, scope));
      }),
      { numRuns: 300 },
    );
  });

  test("property: decoding any query either succeeds or throws URIError, never anything else", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (raw) => {
        try {
          decodeQuery(raw);
        } catch (err) {
          assert.ok(err instanceof URIError);
        }
      }),
    );
  });
});
