import type { ReactNode } from "react";
import { errorCode, errorMessage } from "../lib/errors.ts";

interface QueryLike {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
}

interface QueryStateProps {
  query: QueryLike;
  label: string;
  children: () => ReactNode;
  /**
   * For a query that fetches what the URL names (a product, an order): shown instead of the
   * error box when the server says it is not there, or that the name cannot be one (a
   * malformed id is a 400 before any lookup).
   */
  notFound?: ReactNode;
}

/** Whether a query for what the URL names failed because it is not there (see `notFound`). */
export function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === "NOT_FOUND" || code === "BAD_REQUEST";
}

/** The loading and error states every query shows; renders children once data is there. */
export function QueryState({ query, label, children, notFound }: QueryStateProps) {
  if (query.isPending) {
    return (
      <p className="status" role="status" aria-live="polite">
        Loading {label}…
      </p>
    );
  }
  if (notFound !== undefined && query.isError && isMissing(query.error)) return <>{notFound}</>;
  if (query.isError) return <ErrorBox error={query.error} label={label} onRetry={() => void query.refetch()} />;
  return <>{children()}</>;
}

function ErrorBox({ error, label, onRetry }: { error: unknown; label: string; onRetry?: () => void }) {
  return (
    <div className="error-box" role="alert">
      <p>
        Could not load {label}: {errorMessage(error)}
      </p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
