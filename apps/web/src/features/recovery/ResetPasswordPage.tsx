import { PASSWORD_MIN_LENGTH } from "@cartwheel/contracts/limits";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useTRPCClient } from "../../lib/trpc.ts";
import { AuthForm, type AuthField } from "../auth/AuthForm.tsx";
import { tokenFromHash } from "./token-from-hash.ts";
import { usePageTitle } from "../../lib/page-title.ts";

const fields: AuthField[] = [
  {
    name: "newPassword",
    label: "New password",
    type: "password",
    autoComplete: "new-password",
    hint: `At least ${PASSWORD_MIN_LENGTH} characters. Avoid common passwords.`,
  },
];

export function ResetPasswordPage() {
  usePageTitle("Choose a new password");
  const client = useTRPCClient();
  const [token] = useState(() => tokenFromHash(window.location.hash));
  const [done, setDone] = useState(false);

  if (!token) {
    return (
      <section className="auth-page">
        <h1>This link is incomplete</h1>
        <p>
          Open the link from the e-mail exactly as it is, or <Link to="/forgot-password">ask for a new one</Link>.
        </p>
      </section>
    );
  }
  if (done) {
    return (
      <section className="auth-page" aria-live="polite">
        <h1>Your password is changed</h1>
        <p>Every device that was signed in to your account has been signed out.</p>
        <p>
          <Link to="/signin">Sign in with your new password</Link>
        </p>
      </section>
    );
  }

  const reset = async (values: Record<string, string>) => {
    await client.auth.resetPassword.mutate({ token, newPassword: values.newPassword ?? "" });
    setDone(true);
  };
  return (
    <section className="auth-page">
      <AuthForm title="Choose a new password" fields={fields} submitLabel="Save the new password" onSubmit={reset} />
      <p>
        Link not working? <Link to="/forgot-password">Ask for a new one</Link>.
      </p>
    </section>
  );
}
