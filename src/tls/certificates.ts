// X.509 for `serve --tls`: a CA that roomledger creates, and a server certificate it signs
// for the names clients dial (localhost, 127.0.0.1, ::1, the configured host).
//
// node-forge builds and signs the certificates (pure JavaScript, no dependencies of its
// own); the RSA keys come from node:crypto, natively, because forge's own key generation
// in JavaScript takes seconds. RSA rather than ECDSA: forge signs RSA only, and every TLS
// stack the clients use (Node, Python's OpenSSL via requests) accepts RSA-2048/SHA-256.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { isIP } from "node:net";
import forge from "node-forge";

export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

const DAY_MS = 86_400_000;
/** The CA lives as long as the data directory, within reason. */
const CA_DAYS = 3650;
/**
 * The server certificate is issued anew at every start; 397 days is the longest lifetime
 * that Apple's and browsers' TLS stacks accept for a leaf.
 */
const SERVER_DAYS = 397;

function rsaKeys(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; keyPem: string } {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), keyPem };
}

function baseCertificate(publicKey: forge.pki.PublicKey, days: number, now: Date): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serialNumber();
  // An hour of slack for clients whose clock is a little behind.
  cert.validity.notBefore = new Date(now.getTime() - 3600_000);
  cert.validity.notAfter = new Date(now.getTime() + days * DAY_MS);
  return cert;
}

/**
 * A random positive serial in minimal DER: forge writes the hex as the INTEGER's bytes as
 * they are. The first byte in 0x40–0x7f is positive without a leading 0 and never padding.
 * The earlier "00" + 16 random bytes became "00 00 …" when the first random byte was 0 (one
 * certificate in 256), which OpenSSL refuses as illegal padding: `serve --tls` failed then.
 */
export function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = 0x40 | (bytes[0]! & 0x3f);
  return bytes.toString("hex");
}

/** A new self-signed CA, allowed to sign server certificates only (pathLenConstraint 0). */
export function createCa(now = new Date()): KeyPairPem {
  const keys = rsaKeys();
  const cert = baseCertificate(keys.publicKey, CA_DAYS, now);
  const subject = [
    { name: "commonName", value: `roomledger local CA ${randomBytes(4).toString("hex")}` },
    { name: "organizationName", value: "roomledger" },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.keyPem };
}

/** A server certificate for `names` (DNS names and IP addresses), signed by `ca`. */
export function issueServerCertificate(ca: KeyPairPem, names: readonly string[], now = new Date()): KeyPairPem {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const keys = rsaKeys();
  const cert = baseCertificate(keys.publicKey, SERVER_DAYS, now);
  cert.setSubject([{ name: "commonName", value: names[0] ?? "localhost" }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    // Clients check the name they dialled against these (the CN is not read any more).
    { name: "subjectAltName", altNames: [...new Set(names)].map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
    { name: "subjectKeyIdentifier" },
    { name: "authorityKeyIdentifier", keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.keyPem };
}
