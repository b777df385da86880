import { type ErrorComponentProps, useRouter } from "@tanstack/react-router";
import { ServerUnreachable } from "../app/lazy-page.ts";
import { usePageTitle } from "../lib/page-title.ts";

/**
 * A page that could not load (its code did not arrive because the server is down, or it
 * threw while rendering): the app's own error box instead of the router's default, with a
 * Retry that loads the page again.
 */
export function RouteError({ error, reset }: ErrorComponentProps) {
  usePageTitle("Could not load this page");
  const router = useRouter();
  const retry = () => {
    reset();
    void router.invalidate();
  };
  return (
    <div className="error-box" role="alert">
      <p>Could not load this page: {error instanceof ServerUnreachable ? error.message : "Something went wrong."}</p>
      <button type="button" onClick={retry}>
        Retry
      </button>
    </div>
  );
}
