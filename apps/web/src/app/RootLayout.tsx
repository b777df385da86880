import { Link, Outlet, useNavigate } from "@tanstack/react-router";
import { isStaffRole, useAuth, useAuthStore } from "../lib/auth-context.tsx";
import { useCartLines, useCartStore } from "../features/cart/cart-context.tsx";
import { cartCount } from "../features/cart/cart-store.ts";
import { NotFoundPage } from "../components/NotFoundPage.tsx";

export function RootLayout() {
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <Header />
      <SessionNotice />
      <main id="main" className="container">
        <Outlet />
      </main>
    </>
  );
}

function Header() {
  const auth = useAuth();
  const store = useAuthStore();
  const navigate = useNavigate();
  const cart = useCartStore();
  const count = cartCount(useCartLines());
  // Signing out leaves nothing of the session behind: token, cached data (store), and the cart.
  const signOut = async () => {
    await store.logout();
    cart.clear();
    await navigate({ to: "/" });
  };
  return (
    <header className="site-header">
      <div className="container header-inner">
        <Link to="/" className="brand">
          Cartwheel
        </Link>
        <nav aria-label="Main" className="main-nav">
          <Link to="/" activeOptions={{ exact: true, includeSearch: false }}>
            Catalog
          </Link>
          <Link to="/cart" aria-describedby="cart-count">
            Cart
            {count > 0 && (
              <span className="count" aria-hidden="true">
                {count}
              </span>
            )}
          </Link>
          <span id="cart-count" className="visually-hidden">
            {count === 1 ? "1 item" : `${count} items`}
          </span>
          {auth.status === "signedIn" && (
            <>
              <Link to="/orders">My orders</Link>
              <Link to="/account">Account</Link>
              {isStaffRole(auth.user?.role) && <Link to="/staff">Staff</Link>}
              <button type="button" className="link-button" onClick={() => void signOut()}>
                Sign out
              </button>
            </>
          )}
          {auth.status === "signedOut" && (
            <>
              <Link to="/signin">Sign in</Link>
              <Link to="/signup">Sign up</Link>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}

/** Explains an unrequested sign-out (revoked elsewhere, expired) wherever the user is. */
function SessionNotice() {
  const { notice } = useAuth();
  const store = useAuthStore();
  if (!notice) return null;
  return (
    <div className="container">
      <p className="notice" role="alert">
        {notice}{" "}
        <button type="button" className="link-button" onClick={() => store.dismissNotice()}>
          Dismiss
        </button>
      </p>
    </div>
  );
}

export function NotFound() {
  return <NotFoundPage title="Page not found" />;
}
