import { Navigate, useLocation } from "@tanstack/react-router";
import type { ReactNode } from "react";
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
  const location = useLocation();
  if (auth.status === "loading") {
    return (
      <p className="status" role="status">
        Checking your session…
      </p>
    );
  }
  if (auth.status === "signedOut") {
    return <Navigate to="/signin" search={{ redirect: location.href, reason }} replace />;
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
