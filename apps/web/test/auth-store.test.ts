import { observable } from "@trpc/server/observable";
import { describe, expect, it, vi } from "vitest";
import { AuthStore, SESSION_ENDED_NOTICE, type AuthApi, type AuthResult } from "../src/lib/auth-store.ts";
import { authRetryLink } from "../src/lib/auth-link.ts";
import { isUnauthorized } from "../src/lib/errors.ts";
import { apiError } from "./api-error.ts";

const result = (token: string): AuthResult => ({
  user: { id: "u1", email: "ada@example.com", name: "Ada", role: "customer" },
  accessToken: token,
  accessTokenExpiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
});

/** A store whose page-load resume answers as `refresh` does (null where it fails with 401). */
function storeWith(refresh: AuthApi["refresh"]) {
  const logout = vi.fn<AuthApi["logout"]>().mockResolvedValue();
  const resume = vi.fn<AuthApi["resume"]>(() =>
    refresh().catch((error: unknown) => {
      if (isUnauthorized(error)) return null;
      throw error;
    }),
  );
  return { store: new AuthStore({ resume, refresh, logout }), logout, resume };
}

describe("auth store", () => {
  it("signs in silently on load when the refresh cookie is valid", async () => {
    const { store } = storeWith(vi.fn<AuthApi["refresh"]>().mockResolvedValue(result("t1")));
    expect(store.getSnapshot().status).toBe("loading");
    await store.init();
    expect(store.getSnapshot()).toMatchObject({ status: "signedIn", user: { name: "Ada" }, notice: null });
    expect(store.getAccessToken()).toBe("t1");
    store.clear(null);
  });

  it("forgets a session the server has ended (a deleted account) without calling logout, keeping the notice", async () => {
    const { store, logout } = storeWith(vi.fn<AuthApi["refresh"]>().mockResolvedValue(result("t9")));
    await store.init();
    const signedOut = vi.fn<() => void>();
    store.onSignOut(signedOut);
    store.ended("Your account was deleted.");
    expect(store.getSnapshot()).toEqual({ status: "signedOut", user: null, notice: "Your account was deleted." });
    expect(store.getAccessToken()).toBeNull();
    expect(signedOut).toHaveBeenCalledTimes(1);
    expect(logout).not.toHaveBeenCalled();
  });

  it("is signed out, without a notice or a failing request, when there is no session", async () => {
    const refresh = vi.fn<AuthApi["refresh"]>();
    const logout = vi.fn<AuthApi["logout"]>();
    const resume = vi.fn<AuthApi["resume"]>().mockResolvedValue(null);
    const store = new AuthStore({ resume, refresh, logout });
    expect(await store.init()).toBe(false);
    expect(store.getSnapshot()).toEqual({ status: "signedOut", user: null, notice: null });
    expect(refresh).not.toHaveBeenCalled();
  });

  it("is signed out when the server cannot be reached on load, and signs in once it can", async () => {
    const { store, resume } = storeWith(vi.fn<AuthApi["refresh"]>().mockResolvedValue(result("t3")));
    resume.mockRejectedValueOnce(new Error("offline"));
    expect(await store.init()).toBe(false);
    expect(store.getSnapshot().status).toBe("signedOut");
    expect(await store.refresh()).toBe(true);
    expect(store.getAccessToken()).toBe("t3");
    store.clear(null);
  });

  it("makes a refresh during the page-load resume wait for it instead of rotating the cookie again", async () => {
    const refresh = vi.fn<AuthApi["refresh"]>().mockResolvedValue(result("t4"));
    const { store, resume } = storeWith(refresh);
    const loading = store.init();
    expect(await store.refresh()).toBe(true);
    await loading;
    expect(resume).toHaveBeenCalledOnce();
    expect(refresh).toHaveBeenCalledOnce(); // by the resume stand-in, not by the second caller
    store.clear(null);
  });

  it("shares one refresh between concurrent callers (each rotation invalidates the last token)", async () => {
    const refresh = vi.fn<AuthApi["refresh"]>().mockResolvedValue(result("t2"));
    const { store } = storeWith(refresh);
    await Promise.all([store.refresh(), store.refresh(), store.refresh()]);
    expect(refresh).toHaveBeenCalledOnce();
    store.clear(null);
  });

  it("explains a sign-out caused by a revoked session and drops cached data", async () => {
    const refresh = vi
      .fn<AuthApi["refresh"]>()
      .mockResolvedValueOnce(result("t1"))
      .mockRejectedValue(apiError("UNAUTHORIZED", 401, "Revoked"));
    const { store } = storeWith(refresh);
    const onSignOut = vi.fn<() => void>();
    store.onSignOut(onSignOut);
    await store.init();
    expect(await store.refresh()).toBe(false);
    expect(store.getSnapshot()).toEqual({ status: "signedOut", user: null, notice: SESSION_ENDED_NOTICE });
    expect(store.getAccessToken()).toBeNull();
    expect(onSignOut).toHaveBeenCalledOnce();
  });

  it("logs out on the server and forgets the token even if the server is unreachable", async () => {
    const { store, logout } = storeWith(vi.fn<AuthApi["refresh"]>().mockResolvedValue(result("t1")));
    logout.mockRejectedValue(new Error("offline"));
    await store.init();
    await store.logout();
    expect(logout).toHaveBeenCalledWith("t1");
    expect(store.getSnapshot().status).toBe("signedOut");
    expect(store.getAccessToken()).toBeNull();
  });

  it("never writes anything to localStorage", async () => {
    localStorage.clear();
    const { store } = storeWith(vi.fn<AuthApi["refresh"]>().mockResolvedValue(result("secret-token")));
    await store.init();
    expect(localStorage.length).toBe(0);
    store.clear(null);
  });
});

describe("auth retry link", () => {
  type LinkOp = Parameters<ReturnType<ReturnType<typeof authRetryLink>>>[0]["op"];
  const op = { path: "orders.mine", type: "query", id: 1, input: {}, context: {}, signal: null } as unknown as LinkOp;

  /** Runs the link over a fake transport that answers with `responses` in turn. */
  async function run(refreshResult: boolean, responses: Array<"ok" | "401">, token: string | null = "t1") {
    const refresh = vi.fn<() => Promise<boolean>>().mockResolvedValue(refreshResult);
    const link = authRetryLink({ getAccessToken: () => token, refresh })({});
    let calls = 0;
    const next = () =>
      observable((observer) => {
        const response = responses[calls++];
        if (response === "ok") {
          observer.next({ result: { type: "data", data: "orders" } });
          observer.complete();
        } else observer.error(apiError("UNAUTHORIZED", 401, "Expired"));
      });
    const outcome = await new Promise<string>((resolve) => {
      link({ op, next }).subscribe({
        next: () => resolve("data"),
        error: (error) => resolve(`error:${(error as Error).message}`),
      });
    });
    return { outcome, calls, refresh };
  }

  it("refreshes once and replays a call that met a 401", async () => {
    expect(await run(true, ["401", "ok"])).toMatchObject({ outcome: "data", calls: 2 });
  });

  it("gives up after one retry", async () => {
    const { outcome, calls, refresh } = await run(true, ["401", "401", "ok"]);
    expect(outcome).toBe("error:Expired");
    expect(calls).toBe(2);
    expect(refresh).toHaveBeenCalledOnce();
  });

  it("does not replay when the refresh fails or no token was sent", async () => {
    expect(await run(false, ["401", "ok"])).toMatchObject({ outcome: "error:Expired", calls: 1 });
    const anonymous = await run(true, ["401", "ok"], null);
    expect(anonymous).toMatchObject({ outcome: "error:Expired", calls: 1 });
    expect(anonymous.refresh).not.toHaveBeenCalled();
  });
});
