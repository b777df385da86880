import { PASSWORD_MIN_LENGTH } from "@cartwheel/contracts/limits";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { useAuthStore } from "../../lib/auth-context.tsx";
import { useTRPCClient } from "../../lib/trpc.ts";
import { AuthForm, type AuthField } from "./AuthForm.tsx";
import { safeRedirect } from "./safe-redirect.ts";

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
  const search = useSearch({ from: "/signup" });
  const client = useTRPCClient();
  const store = useAuthStore();
  const navigate = useNavigate();

  // Registration returns the same result as login, so the new user is signed in right away.
  const signUp = async (values: Record<string, string>) => {
    const result = await client.auth.register.mutate({
      name: values.name ?? "",
      email: values.email ?? "",
      password: values.password ?? "",
    });
    store.accept(result, true);
    await navigate({ to: safeRedirect(search.redirect), replace: true });
  };

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
