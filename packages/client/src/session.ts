import { isTRPCClientError } from "@trpc/client";
import { accessTokenExpiry, type CartwheelTokens, tokensFromAuthResult } from "./tokens.ts";

export interface TokenSessionOptions {
  readonly initial: CartwheelTokens | null;
  readonly onTokens?: ((tokens: CartwheelTokens | null) => void) | undefined;
  /** Calls `auth.refresh({ refreshToken })` without going through the session itself. */
  readonly refresh: (refreshToken: string) => Promise<unknown>;
  readonly now: () => number;
  /** Renew this long before expiry, so a token does not lapse in flight. */
  readonly leewayMs: number;
}

/**
 * Holds the current tokens and renews them. A refresh is single-flight: every caller that
 * needs one while it runs awaits the same request, because each refresh rotates the
 * refresh token and a second, parallel rotation would present an already-used token.
 */
export class TokenSession {
  #tokens: CartwheelTokens | null;
  #inflight: Promise<CartwheelTokens | null> | null = null;
  readonly #options: TokenSessionOptions;

  constructor(options: TokenSessionOptions) {
    this.#options = options;
    this.#tokens = options.initial;
  }

  get tokens(): CartwheelTokens | null {
    return this.#tokens;
  }

  set(tokens: CartwheelTokens | null): void {
    this.#tokens = tokens;
    this.#options.onTokens?.(tokens);
  }

  /** The access token to send now, renewed first when it is about to expire. */
  async accessTokenForRequest(): Promise<string | null> {
    const tokens = this.#tokens;
    if (!tokens) return null;
    const expiresAt = accessTokenExpiry(tokens);
    if (tokens.refreshToken && expiresAt !== null && expiresAt - this.#options.now() <= this.#options.leewayMs) {
      return (await this.refresh(tokens.accessToken))?.accessToken ?? null;
    }
    return tokens.accessToken;
  }

  /**
   * Renews the tokens unless `staleAccessToken` was already replaced (then the newer
   * tokens are returned). Resolves to null when there is nothing to renew with.
   */
  refresh(staleAccessToken: string): Promise<CartwheelTokens | null> {
    if (this.#inflight) return this.#inflight;
    const current = this.#tokens;
    if (!current) return Promise.resolve(null);
    if (current.accessToken !== staleAccessToken) return Promise.resolve(current);
    const { refreshToken } = current;
    if (!refreshToken) return Promise.resolve(null);
    this.#inflight = this.#rotate(refreshToken).finally(() => {
      this.#inflight = null;
    });
    return this.#inflight;
  }

  async #rotate(refreshToken: string): Promise<CartwheelTokens> {
    try {
      const tokens = tokensFromAuthResult(await this.#options.refresh(refreshToken));
      if (!tokens) throw new Error("auth.refresh returned no access token");
      const next = { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken };
      this.set(next);
      return next;
    } catch (error) {
      // The session is over (expired, revoked, reused): forget it so callers stop trying.
      if (isTRPCClientError(error) && error.data?.code === "UNAUTHORIZED") this.set(null);
      throw error;
    }
  }
}
