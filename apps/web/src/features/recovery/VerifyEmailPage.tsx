import { Link } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { FormError } from "../../components/FormError.tsx";
import { useTRPCClient } from "../../lib/trpc.ts";
import { tokenFromHash } from "./token-from-hash.ts";
import { usePageTitle } from "../../lib/page-title.ts";

type State = { kind: "checking" } | { kind: "verified" } | { kind: "failed"; error: unknown } | { kind: "no_token" };

export function VerifyEmailPage() {
  usePageTitle("Verify your e-mail");
  const client = useTRPCClient();
  const [state, setState] = useState<State>(() =>
    tokenFromHash(window.location.hash) ? { kind: "checking" } : { kind: "no_token" },
  );

  useEffect(() => {
    const token = tokenFromHash(window.location.hash);
    if (!token) return;
    let current = true;
    client.auth.verifyEmail.mutate({ token }).then(
      () => current && setState({ kind: "verified" }),
      (error: unknown) => current && setState({ kind: "failed", error }),
    );
    return () => {
      current = false;
    };
  }, [client]);

  return (
    <section className="auth-page" aria-live="polite">
      {state.kind === "checking" && <h1>Confirming your address…</h1>}
      {state.kind === "verified" && (
        <>
          <h1>Your address is confirmed</h1>
          <p>
            Thank you. <Link to="/">Continue shopping</Link>
          </p>
        </>
      )}
      {state.kind === "failed" && (
        <>
          <h1>We could not confirm your address</h1>
          <FormError error={state.error} />
          <p>
            You can ask for a new link from <Link to="/account">your account</Link>.
          </p>
        </>
      )}
      {state.kind === "no_token" && (
        <>
          <h1>This link is incomplete</h1>
          <p>Open the link from the e-mail exactly as it is.</p>
        </>
      )}
    </section>
  );
}
