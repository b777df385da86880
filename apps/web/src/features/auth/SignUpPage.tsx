import { PASSWORD_MIN_LENGTH } from "@cartwheel/contracts/limits";
import { Link, useSearch } from "@tanstack/react-router";
import { useState } from "react";
import { useTRPCClient } from "../../lib/trpc.ts";
import { AuthForm, type AuthField } from "./AuthForm.tsx";
import { useLeaveIfSignedIn } from "./leave-if-signed-in.ts";
import { usePageTitle } from "../../lib/page-title.ts";

export const signUpFields: AuthField[] = [
  { name: "name", label: "Name", type: "text", autoComplete: "name" },
  { name: "email", label: "Email", type: "email", autoComplete: "email" },
  {
    name: "password",
    label: "Password",
    type: "password",
    autoComplete: "new-password",
    hint: `At least ${PASSWORD_MIN_LENGTH} characters. Avoid common passwords.`,
  },
];

export function SignUpPage() {
  usePageTitle("Sign up");
  const search = useSearch({ from: "/signup" });
  useLeaveIfSignedIn(search.redirect);
  const client = useTRPCClient();
  const [sentTo, setSentTo] = useState<string | null>(null);

  // Registration answers the same whether or not the address already has an account, so it
  // signs nobody in: the page says to check the mailbox and offers sign-in.
  const signUp = async (values: Record<string, string>) => {
    await client.auth.register.mutate({
      name: values.name ?? "",
      email: values.email ?? "",
      password: values.password ?? "",
    });
    setSentTo(values.email ?? "");
  };

  if (sentTo !== null) {
    return (
      <section className="auth-page" aria-live="polite">
        <h1>Check your e-mail</h1>
        <p>
          We sent a message to <strong>{sentTo}</strong>. Open the link in it to confirm your address. You can sign in
          now with the password you chose.
        </p>
        <p>
          <Link to="/signin" search={{ redirect: search.redirect }}>
            Sign in
          </Link>
        </p>
      </section>
    );
  }

  return (
    <section className="auth-page">
      <AuthForm title="Create your account" fields={signUpFields} submitLabel="Sign up" onSubmit={signUp} />
      <p>
        Already have an account?{" "}
        <Link to="/signin" search={{ redirect: search.redirect }}>
          Sign in
        </Link>
      </p>
    </section>
  );
}
