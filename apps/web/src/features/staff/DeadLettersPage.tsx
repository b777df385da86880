import type { RouterOutputs } from "@cartwheel/client";
import { hasRole } from "@cartwheel/contracts/enums";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { FormError } from "../../components/FormError.tsx";
import { LoadMore } from "../../components/LoadMore.tsx";
import { QueryState } from "../../components/QueryState.tsx";
import { useAuth } from "../../lib/auth-context.tsx";
import { formatDateTime } from "../../lib/dates.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { usePageTitle } from "../../lib/page-title.ts";

type Job = RouterOutputs["jobs"]["list"]["items"][number];

/**
 * Background jobs that used up their retries (the dead letter), for admins, each with a Retry.
 * Summaries only: payloads may hold customers' addresses, and `cartwheel jobs show` has them
 * for the rare case an admin needs one.
 */
export function DeadLettersPage() {
  usePageTitle("Dead letters · Staff");
  const auth = useAuth();
  if (!auth.user || !hasRole(auth.user.role, "admin")) {
    return (
      <section className="stack">
        <h2>Dead letters</h2>
        <p>Failed background jobs are for administrators.</p>
      </section>
    );
  }
  return <DeadLetters />;
}

function DeadLetters() {
  const trpc = useTRPC();
  const query = useInfiniteQuery(
    trpc.jobs.list.infiniteQueryOptions(
      { state: "failed", limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const jobs = query.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="dead-letters-title" className="stack">
      <h2 id="dead-letters-title">Dead letters</h2>
      <p className="muted">Background jobs that failed on every attempt. Retry one once its cause is fixed.</p>
      <QueryState query={query} label="failed jobs">
        {() =>
          jobs.length === 0 ? (
            <p className="status">No failed jobs.</p>
          ) : (
            <>
              <ul className="staff-list" aria-label="Failed jobs">
                {jobs.map((job) => (
                  <DeadLetterRow key={job.id} job={job} />
                ))}
              </ul>
              <LoadMore query={query} />
            </>
          )
        }
      </QueryState>
    </section>
  );
}

function DeadLetterRow({ job }: { job: Job }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const retry = useMutation(
    trpc.jobs.retry.mutationOptions({
      // Redriven, or already gone (NOT_FOUND): either way the list should show the queue as it is.
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.jobs.pathKey() }),
    }),
  );
  return (
    <li className="card staff-row" aria-label={`Job ${job.name}`} data-job-id={job.id}>
      <div className="staff-row-head">
        <strong>{job.name}</strong>
        <span>{formatDateTime(job.createdAt)}</span>
        <span>
          {job.attempts} of {job.retryLimit + 1} attempts
        </span>
      </div>
      {job.lastError && <pre className="muted job-error">{job.lastError.split("\n", 1)[0]}</pre>}
      <div className="actions">
        <button type="button" disabled={retry.isPending} onClick={() => retry.mutate({ id: job.id })}>
          {retry.isPending ? "Retrying…" : "Retry"}
        </button>
      </div>
      <FormError error={retry.error} />
    </li>
  );
}
