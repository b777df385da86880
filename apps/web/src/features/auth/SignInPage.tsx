import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { useAuth, useAuthStore } from "../../lib/auth-context.tsx";
import { useTRPCClient } from "../../lib/trpc.ts";
import { AuthForm, type AuthField } from "./AuthForm.tsx";
import { useLeaveIfSignedIn } from "./leave-if-signed-in.ts";
import { safeRedirect } from "./safe-redirect.ts";
import { usePageTitle } from "../../lib/page-title.ts";

const fields: AuthField[] = [
  { name: "email", label: "Email", type: "email", autoComplete: "username" },
  { name: "password", label: "Password", type: "password", autoComplete: "current-password" },
];

export function SignInPage() {
  usePageTitle("Sign in");
  const search = useSearch({ from: "/signin" });
  useLeaveIfSignedIn(search.redirect);
  const client = useTRPCClient();
  const store = useAuthStore();
  const { notice } = useAuth();
  const navigate = useNavigate();

  const signIn = async (values: Record<string, string>) => {
    const result = await client.auth.login.mutate({ email: values.email ?? "", password: values.password ?? "" });
    store.accept(result, true);
    await navigate({ to: safeRedirect(search.redirect), replace: true });
  };

  return (
    <section className="auth-page">
      {/* A session-ended notice is already shown above every page; otherwise say why we are here. */}
      {!notice && search.reason && (
        <p className="notice" role="status">
          {search.reason}
        </p>
      )}
      <AuthForm title="Sign in" fields={fields} submitLabel="Sign in" onSubmit={signIn} />
      <p>
        New here?{" "}
        <Link to="/signup" search={{ redirect: search.redirect }}>
          Sign up
        </Link>
      </p>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
    </section>
  );
}
