// UserSig (TLS-sig-api v2) as the simulated push worker checks it. A real worker's TRTC
// login verifies the signature with the IM app's secret key, which neither roomledger nor
// the simulator has; the simulator checks what it can see: the format, the user, the
// SdkAppId and the expiry. That is how the seed's failure ("The UserSig in use is illegal")
// comes about in a simulated push.
import { createHmac } from "node:crypto";
import { deflateSync, inflateSync } from "node:zlib";

interface SigFields {
  "TLS.ver": string;
  "TLS.identifier": string;
  "TLS.sdkappid": number;
  "TLS.expire": number;
  "TLS.time": number;
  "TLS.sig": string;
}

// base64 with the three characters URLs dislike swapped, as TLS-sig-api v2 does.
const toSigBase64 = (b: Buffer): string => b.toString("base64").replace(/\+/g, "*").replace(/\//g, "-").replace(/=/g, "_");
const fromSigBase64 = (s: string): Buffer => Buffer.from(s.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "="), "base64");

/** Makes a UserSig the way TLS-sig-api v2 does (tests and the demo sign with any key). */
export function makeUserSig(
  sdkAppId: number,
  userId: string,
  key: string,
  expireS = 86400 * 180,
  nowS = Math.floor(Date.now() / 1000),
): string {
  const content = `TLS.identifier:${userId}\nTLS.sdkappid:${sdkAppId}\nTLS.time:${nowS}\nTLS.expire:${expireS}\n`;
  const fields: SigFields = {
    "TLS.ver": "2.0",
    "TLS.identifier": userId,
    "TLS.sdkappid": sdkAppId,
    "TLS.expire": expireS,
    "TLS.time": nowS,
    "TLS.sig": createHmac("sha256", key).update(content).digest("base64"),
  };
  return toSigBase64(deflateSync(Buffer.from(JSON.stringify(fields))));
}

/** Why a UserSig cannot log this user in (null when it looks valid). */
export function userSigProblem(sig: string, sdkAppId: number, userId: string, nowS = Math.floor(Date.now() / 1000)): string | null {
  let fields: Partial<SigFields>;
  try {
    fields = JSON.parse(inflateSync(fromSigBase64(sig)).toString("utf8")) as Partial<SigFields>;
  } catch {
    return "malformed";
  }
  if (fields["TLS.identifier"] !== userId) return "issued for another user";
  if (Number(fields["TLS.sdkappid"]) !== sdkAppId) return "issued for another SdkAppId";
  if (Number(fields["TLS.time"]) + Number(fields["TLS.expire"]) < nowS) return "expired";
  if (typeof fields["TLS.sig"] !== "string") return "unsigned";
  return null;
}
