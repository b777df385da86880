import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { FormError } from "../../components/FormError.tsx";
import { QueryState } from "../../components/QueryState.tsx";
import { formatDateTime } from "../../lib/dates.ts";
import { useTRPC } from "../../lib/trpc.ts";

/** A short, human description of a browser from its user agent. */
function describeUserAgent(userAgent: string | null | undefined): string {
  if (!userAgent) return "Unknown device";
  const browser = /(Edg|Firefox|Chrome|Chromium|Safari)\/[\d.]+/.exec(userAgent)?.[1] ?? "Browser";
  const os = /(Windows|Mac OS X|Android|iPhone|iPad|Linux)/.exec(userAgent)?.[1] ?? "";
  const name = browser === "Edg" ? "Edge" : browser;
  return os ? `${name} on ${os.replace("Mac OS X", "macOS")}` : name;
}

export function SessionsList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.auth.sessions.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.queryKey() });
  const revoke = useMutation(trpc.auth.revokeSession.mutationOptions({ onSuccess: refresh }));
  const revokeOthers = useMutation(trpc.auth.revokeOtherSessions.mutationOptions({ onSuccess: refresh }));

  return (
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title">Active sessions</h2>
      <QueryState query={query} label="your sessions">
        {() => (
          <>
            <ul className="session-list" aria-label="Sessions">
              {query.data!.map((session) => {
                const device = describeUserAgent(session.userAgent);
                return (
                  <li key={session.id} className="card session-row">
                    <div>
                      <strong>{device}</strong>
                      {session.current && <span className="badge badge-in">This device</span>}
                      <small>
                        {session.ip ?? "unknown IP"} · signed in {formatDateTime(session.createdAt)} · last active{" "}
                        {formatDateTime(session.lastUsedAt)}
                      </small>
                    </div>
                    {!session.current && (
                      <button
                        type="button"
                        onClick={() => revoke.mutate({ id: session.id })}
                        disabled={revoke.isPending}
                        aria-label={`Revoke session: ${device}, last active ${formatDateTime(session.lastUsedAt)}`}
                      >
                        Revoke
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
            <button
              type="button"
              onClick={() => revokeOthers.mutate()}
              disabled={revokeOthers.isPending || query.data!.every((s) => s.current)}
            >
              Sign out everywhere else
            </button>
            {revokeOthers.isSuccess && (
              <p role="status" className="success">
                Signed out of every other session.
              </p>
            )}
            <FormError error={revoke.error ?? revokeOthers.error} />
          </>
        )}
      </QueryState>
    </section>
  );
}
