// Short-lived HS256 JWTs, verified without a database read. Revocation before expiry
// is the RevocationStore's job (keyed by `sid`).
import { createHmac, timingSafeEqual } from "node:crypto";
import { roles, type Role } from "@cartwheel/db";
import { createJWTSignatureMessage, encodeJWT, parseJWT } from "@oslojs/jwt";
import { z } from "zod";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

const claimsSchema = z.object({
  sub: z.string().min(1),
  sid: z.string().min(1),
  role: z.enum(roles),
  iat: z.number().int(),
  exp: z.number().int(),
});

export type AccessClaims = z.infer<typeof claimsSchema>;

const headerJson = JSON.stringify({ alg: "HS256", typ: "JWT" });
const SHA256_BYTES = 32;

/**
 * HMAC-SHA256 through node:crypto (OpenSSL): @oslojs/crypto's pure-JS HMAC costs a visible
 * share of every authenticated request's CPU. @oslojs/jwt does the JWT encoding.
 */
const hmacSha256 = (key: Uint8Array, message: Uint8Array): Uint8Array =>
  createHmac("sha256", key).update(message).digest();

export function signAccessToken(
  key: Uint8Array,
  subject: { userId: string; sessionId: string; role: Role },
  now: Date,
): { token: string; expiresAt: Date } {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + ACCESS_TOKEN_TTL_SECONDS;
  const claims: AccessClaims = { sub: subject.userId, sid: subject.sessionId, role: subject.role, iat, exp };
  const payloadJson = JSON.stringify(claims);
  const signature = hmacSha256(key, createJWTSignatureMessage(headerJson, payloadJson));
  return { token: encodeJWT(headerJson, payloadJson, signature), expiresAt: new Date(exp * 1000) };
}

/** The token's claims when its signature and expiry hold at `now`, else null. */
export function verifyAccessToken(key: Uint8Array, token: string, now: Date): AccessClaims | null {
  let parts: ReturnType<typeof parseJWT>;
  try {
    parts = parseJWT(token);
  } catch {
    return null;
  }
  const [header, payload, signature, signedMessage] = parts;
  // The algorithm is pinned, never taken from the token ("alg": "none" and key-confusion attacks).
  if ((header as { alg?: unknown }).alg !== "HS256") return null;
  // timingSafeEqual needs equal lengths; the length of a signature is not a secret.
  if (signature.length !== SHA256_BYTES || !timingSafeEqual(hmacSha256(key, signedMessage), signature)) return null;
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success || claims.data.exp * 1000 <= now.getTime()) return null;
  return claims.data;
}

/**
 * verifyAccessToken that remembers tokens it has verified: a client presents the same token on
 * every request for up to 15 minutes, so parsing, the HMAC and claim validation run once per
 * token instead of once per request. Only tokens whose signature verified are remembered, keyed
 * by the whole token (signature included), so nothing unverified is ever trusted; expiry is
 * still checked on every call, and revocation stays the caller's job. Bounded: the oldest
 * entry goes first.
 */
export function createAccessTokenVerifier(
  key: Uint8Array,
  capacity = 4096,
): (token: string, now: Date) => AccessClaims | null {
  const verified = new Map<string, AccessClaims>();
  return (token, now) => {
    let claims = verified.get(token);
    if (!claims) {
      const fresh = verifyAccessToken(key, token, now);
      if (!fresh) return null;
      if (verified.size >= capacity) verified.delete(verified.keys().next().value!);
      verified.set(token, (claims = Object.freeze(fresh)));
    }
    return claims.exp * 1000 > now.getTime() ? claims : null;
  };
}
