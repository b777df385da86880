import type { ReactNode } from "react";
import { errorMessage } from "../lib/errors.ts";

interface QueryLike {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
}

/** The loading and error states every query shows; renders children once data is there. */
export function QueryState({ query, label, children }: { query: QueryLike; label: string; children: () => ReactNode }) {
  if (query.isPending) {
    return (
      <p className="status" role="status" aria-live="polite">
        Loading {label}…
      </p>
    );
  }
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
