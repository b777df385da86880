import { hasRole } from "@cartwheel/contracts/enums";
import { Link, Outlet } from "@tanstack/react-router";
import { RequireAuth } from "../../components/RequireAuth.tsx";
import { useAuth } from "../../lib/auth-context.tsx";

/** Loaded on demand: customers never download the staff screens. */
export function StaffLayout() {
  const role = useAuth().user?.role;
  return (
    <RequireAuth staffOnly reason="Sign in with a staff account.">
      <div className="stack">
        <h1>Staff</h1>
        <nav className="subnav" aria-label="Staff">
          <Link to="/staff" activeOptions={{ exact: true }}>
            Products
          </Link>
          <Link to="/staff/orders">Orders</Link>
          {role && hasRole(role, "admin") && (
            <>
              <Link to="/staff/dead-letters">Dead letters</Link>
              <Link to="/staff/webhooks">Webhooks</Link>
            </>
          )}
        </nav>
        <Outlet />
      </div>
    </RequireAuth>
  );
}
