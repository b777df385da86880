// OWASP's "device cookie" for login throttling: after a correct password the browser (or
// CLI) receives a token bound to that account, and later attempts carrying it are counted
// per device instead of per account, so strangers failing against an account cannot lock
// its owner out of the devices they already used. Nothing is stored: the token is an HMAC.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { DEVICE_TOKEN_MAX_LENGTH } from "@cartwheel/contracts/limits";
import { generateSecret } from "./crypto.ts";

export const DEVICE_TOKEN_TTL_SECONDS = 180 * 24 * 60 * 60;
/** `<nonce>.<expiry seconds>.<mac>`: 32 + 1 + ≤12 + 1 + 43 characters. */
const tokenPattern = /^([a-z2-7]{32})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export interface DeviceTokens {
  issue(email: string): { token: string; expiresAt: Date };
  /** The device id when `token` was issued for `email` and has not expired, else null. */
  verify(token: string | null | undefined, email: string): string | null;
}

/** `email` must already be normalised; the token binds to it without containing it. */
export function createDeviceTokens(secret: Uint8Array, now: () => Date): DeviceTokens {
  // A key of its own, so a device token can never pass for an access token or the reverse.
  const key = createHmac("sha256", secret).update("cartwheel device token v1").digest();
  const mac = (email: string, nonce: string, expiry: string) =>
    createHmac("sha256", key).update(`${email}\n${nonce}\n${expiry}`).digest();

  return {
    issue(email) {
      const nonce = generateSecret();
      const expiry = String(Math.floor(now().getTime() / 1000) + DEVICE_TOKEN_TTL_SECONDS);
      const token = `${nonce}.${expiry}.${mac(email, nonce, expiry).toString("base64url")}`;
      return { token, expiresAt: new Date(Number(expiry) * 1000) };
    },
    verify(token, email) {
      if (!token || token.length > DEVICE_TOKEN_MAX_LENGTH) return null;
      const parts = tokenPattern.exec(token);
      if (!parts) return null;
      const [, nonce, expiry, signature] = parts as unknown as [string, string, string, string];
      if (Number(expiry) * 1000 <= now().getTime()) return null;
      const presented = Buffer.from(signature, "base64url");
      const expected = mac(email, nonce, expiry);
      // Both are 32 bytes (the pattern fixes the length), as timingSafeEqual requires.
      if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return null;
      // The id counts the device's failures; hashed, so limiter keys never hold a token part.
      return createHash("sha256").update(nonce).digest("hex").slice(0, 32);
    },
  };
}
