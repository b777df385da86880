// Webhook signing secrets at rest. The server signs every delivery with the raw secret, so it
// cannot be hashed like an API key; it is sealed with AES-256-GCM under a key derived from
// AUTH_SECRET (HKDF-SHA256, its own `info`, so the key is used for nothing else) and bound to
// its endpoint's id as associated data, so a ciphertext copied onto another row does not open.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The 32-byte sealing key for webhook secrets, derived from the server's AUTH_SECRET. */
export function deriveWebhookSecretKey(authSecret: string | Uint8Array): Buffer {
  return Buffer.from(hkdfSync("sha256", authSecret, "", "cartwheel webhook signing secrets v1", 32));
}

export function sealSecret(key: Buffer, endpointId: string, secret: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(endpointId));
  const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return [
    VERSION,
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    sealed.toString("base64url"),
  ].join(".");
}

/** Throws when the ciphertext was not sealed for this endpoint under this key (AUTH_SECRET changed). */
export function openSecret(key: Buffer, endpointId: string, sealed: string): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || !body) throw new Error("not a sealed webhook secret");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(endpointId));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}
