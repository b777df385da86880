import { useLocation, useNavigate } from "@tanstack/react-router";
import { useEffect, useRef, type ReactNode } from "react";
import { isStaffRole, useAuth } from "../lib/auth-context.tsx";

interface RequireAuthProps {
  children: ReactNode;
  /** Shown on the sign-in page to say why the user landed there. */
  reason?: string;
  staffOnly?: boolean;
}

/**
 * Renders children only for a signed-in user (and staff, when asked). The server enforces
 * the same rules; this only keeps people from pages that would fail for them.
 */
export function RequireAuth({ children, reason, staffOnly = false }: RequireAuthProps) {
  const auth = useAuth();
  const href = useLocation({ select: (location) => location.href });
  const navigate = useNavigate();
  const signedOut = auth.status === "signedOut";
  // Navigate once: this page stays mounted while the router moves to /signin, and its
  // location changes meanwhile; re-navigating on each change would loop.
  const redirected = useRef(false);
  useEffect(() => {
    if (!signedOut || redirected.current) return;
    redirected.current = true;
    void navigate({ to: "/signin", search: { redirect: href, reason }, replace: true });
  }, [signedOut, href, reason, navigate]);

  if (auth.status === "loading") {
    return (
      <p className="status" role="status">
        Checking your session…
      </p>
    );
  }
  if (signedOut) {
    return (
      <p className="status" role="status">
        Redirecting to sign in…
      </p>
    );
  }
  if (staffOnly && !isStaffRole(auth.user?.role)) {
    return (
      <section>
        <h1>Staff only</h1>
        <p>This area is for staff. Ask an administrator if you need access.</p>
      </section>
    );
  }
  return <>{children}</>;
}
