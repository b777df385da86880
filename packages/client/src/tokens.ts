/** What a token-transport login or refresh hands to the client. */
export interface CartwheelTokens {
  readonly accessToken: string;
  /** ISO-8601; when missing, the JWT's `exp` claim is used. */
  readonly accessTokenExpiresAt?: string;
  /** Without it the client cannot renew the access token (e.g. CARTWHEEL_TOKEN). */
  readonly refreshToken?: string;
}

/** Milliseconds since the epoch at which the access token stops working, if known. */
export function accessTokenExpiry(tokens: CartwheelTokens): number | null {
  if (tokens.accessTokenExpiresAt) {
    const at = Date.parse(tokens.accessTokenExpiresAt);
    if (Number.isFinite(at)) return at;
  }
  const payload = tokens.accessToken.split(".")[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(base64UrlDecode(payload)) as { exp?: unknown };
    return typeof claims.exp === "number" ? claims.exp * 1000 : null;
  } catch {
    return null;
  }
}

function base64UrlDecode(text: string): string {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

/** Picks the token fields out of an auth.login / auth.refresh result (auth.register signs nobody in). */
export function tokensFromAuthResult(data: unknown): CartwheelTokens | null {
  if (typeof data !== "object" || data === null) return null;
  const { accessToken, accessTokenExpiresAt, refreshToken } = data as Record<string, unknown>;
  if (typeof accessToken !== "string") return null;
  return {
    accessToken,
    ...(typeof accessTokenExpiresAt === "string" ? { accessTokenExpiresAt } : {}),
    ...(typeof refreshToken === "string" ? { refreshToken } : {}),
  };
}
