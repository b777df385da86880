import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { PASSWORD_RESET_TTL_MINUTES } from "@cartwheel/contracts/limits";
import { useTRPCClient } from "../../lib/trpc.ts";
import { AuthForm, type AuthField } from "../auth/AuthForm.tsx";
import { usePageTitle } from "../../lib/page-title.ts";

const fields: AuthField[] = [{ name: "email", label: "Email", type: "email", autoComplete: "email" }];

export function ForgotPasswordPage() {
  usePageTitle("Forgot password");
  const client = useTRPCClient();
  const [sent, setSent] = useState(false);

  // The answer is the same whether or not the address has an account, and so is this page.
  const request = async (values: Record<string, string>) => {
    await client.auth.requestPasswordReset.mutate({ email: values.email ?? "" });
    setSent(true);
  };

  if (sent) {
    return (
      <section className="auth-page" aria-live="polite">
        <h1>Check your e-mail</h1>
        <p>
          If an account uses that address, we sent it a link to choose a new password. The link works once, for{" "}
          {PASSWORD_RESET_TTL_MINUTES} minutes.
        </p>
        <p>
          <Link to="/signin">Back to sign in</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="auth-page">
      <AuthForm title="Forgot your password?" fields={fields} submitLabel="Send me a link" onSubmit={request} />
      <p>
        Remembered it? <Link to="/signin">Sign in</Link>
      </p>
    </section>
  );
}
