import type { RouterOutputs } from "@cartwheel/client";
import { isUnauthorized } from "./errors.ts";

type SignInAnswer = RouterOutputs["auth"]["login"];

/** The part of the signed-in user the app keeps; typed by the API's answer, never restated. */
type SessionUser = Pick<SignInAnswer["user"], "id" | "email" | "name" | "role">;

/** What login, register and refresh return (cookie transport: no refresh token in the body). */
export interface AuthResult extends Pick<SignInAnswer, "accessToken" | "accessTokenExpiresAt"> {
  user: SessionUser;
}

/** The calls the store makes itself; injected so the store is testable and import-cycle free. */
export interface AuthApi {
  /** The refresh cookie's session, or null when it names none (auth.resume). */
  resume(): Promise<AuthResult | null>;
  refresh(): Promise<AuthResult>;
  logout(accessToken: string | null): Promise<void>;
}

type AuthStatus = "loading" | "signedIn" | "signedOut";

export interface AuthState {
  readonly status: AuthStatus;
  readonly user: SessionUser | null;
  /** Why the user was signed out without asking (e.g. the session was revoked elsewhere). */
  readonly notice: string | null;
}

/** Refresh this long before the access token expires, so requests rarely meet a 401. */
const REFRESH_MARGIN_MS = 60_000;
const MIN_REFRESH_DELAY_MS = 5_000;
const CHANNEL = "cartwheel-auth";

export const SESSION_ENDED_NOTICE = "Your session has ended. Please sign in again.";

/**
 * Holds the access token in memory only: never in localStorage, so an XSS cannot lift
 * it from storage and it dies with the tab. The refresh token is the server's HttpOnly
 * cookie, which page scripts never see; `refresh()` trades it for a new access token.
 */
export class AuthStore {
  private state: AuthState = { status: "loading", user: null, notice: null };
  private accessToken: string | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private inFlightRefresh: Promise<boolean> | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly signOutListeners = new Set<() => void>();
  private readonly channel: BroadcastChannel | null;

  constructor(private readonly api: AuthApi) {
    this.channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANNEL) : null;
    this.channel?.addEventListener("message", (event: MessageEvent<unknown>) => {
      // Another tab signed in or out; follow it so tabs never disagree about who is signed in.
      if (event.data === "signed-out") this.clear(null);
      else if (event.data === "signed-in") void this.refresh();
    });
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): AuthState => this.state;

  /** Called whenever the user becomes signed out, to drop cached private data. */
  onSignOut(listener: () => void): () => void {
    this.signOutListeners.add(listener);
    return () => this.signOutListeners.delete(listener);
  }

  getAccessToken(): string | null {
    return this.accessToken;
  }

  /** Silent sign-in on page load, using the refresh cookie if there is one (auth.resume). */
  init(): Promise<boolean> {
    return this.rotateOnce(() => this.api.resume());
  }

  /** Stores a fresh login/register/refresh result and schedules the next silent refresh. */
  accept(result: AuthResult, announce = false): void {
    this.accessToken = result.accessToken;
    this.setState({ status: "signedIn", user: result.user, notice: null });
    this.scheduleRefresh(result.accessTokenExpiresAt);
    if (announce) this.channel?.postMessage("signed-in");
  }

  /**
   * Rotates the refresh cookie for a new access token. Concurrent callers (page load,
   * the timer, several 401s at once) share one request, because each rotation
   * invalidates the previous refresh token. Resolves true when signed in afterwards.
   */
  refresh(): Promise<boolean> {
    return this.rotateOnce(() => this.api.refresh());
  }

  /**
   * One rotation at a time: the page-load resume, the timer and 401 retries share it. A null
   * answer (resume: no session) or a 401 signs out; any other failure does so only while the
   * page is still loading, and a signed-in user stays so until the server says otherwise.
   */
  private rotateOnce(call: () => Promise<AuthResult | null>): Promise<boolean> {
    this.inFlightRefresh ??= call()
      .then((result) => {
        if (!result) {
          this.clear(null);
          return false;
        }
        this.accept(result);
        return true;
      })
      .catch((error: unknown) => {
        const wasSignedIn = this.state.status === "signedIn";
        if (isUnauthorized(error) || this.state.status === "loading") {
          this.clear(wasSignedIn ? SESSION_ENDED_NOTICE : null);
        }
        return false;
      })
      .finally(() => {
        this.inFlightRefresh = null;
      });
    return this.inFlightRefresh;
  }

  /** Signs out on the server (best effort), then forgets everything locally and in other tabs. */
  async logout(): Promise<void> {
    const token = this.accessToken;
    try {
      await this.api.logout(token);
    } catch {
      // The local sign-out must happen even when the server is unreachable.
    }
    this.clear(null);
    this.channel?.postMessage("signed-out");
  }

  /**
   * The server has ended the session itself (the account was deleted): nothing to sign out
   * there, but forget it here and in other tabs, as logout does. `notice` says what happened.
   */
  ended(notice: string): void {
    this.clear(notice);
    this.channel?.postMessage("signed-out");
  }

  /** Forgets the token and user; `notice` explains an unrequested sign-out. */
  clear(notice: string | null): void {
    const wasSignedIn = this.state.status === "signedIn";
    this.accessToken = null;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
    this.setState({ status: "signedOut", user: null, notice });
    if (wasSignedIn) for (const listener of this.signOutListeners) listener();
  }

  dismissNotice(): void {
    if (this.state.notice) this.setState({ ...this.state, notice: null });
  }

  private scheduleRefresh(expiresAt: AuthResult["accessTokenExpiresAt"]): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    const expiresMs = new Date(expiresAt).getTime();
    const delay = Math.max(MIN_REFRESH_DELAY_MS, expiresMs - Date.now() - REFRESH_MARGIN_MS);
    this.refreshTimer = setTimeout(() => void this.refresh(), delay);
  }

  private setState(next: AuthState): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
