// The job queue in operations: the dead letter (and any other state) listed, one job shown,
// a failed job redriven. Thin: the engine (pg-boss or the jobs table) does the work.
//
// `show` returns the payload as stored: account mail jobs carry the event, e-mail address
// included. Admins may see it (users.list shows them addresses already) and need it to judge
// a failure; it is never logged (procedures log their path and outcome only), and the web
// page lists summaries without payloads.
import { DomainError, jobIdSchema, listJobsSchema } from "@cartwheel/contracts";
import { TRPCError } from "@trpc/server";
import type { Context, JobQueue } from "../context.ts";
import { adminProcedure, router } from "../trpc.ts";

function queueOf(ctx: Context): JobQueue {
  const { jobs } = ctx.services;
  if (!jobs) throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "This process has no job queue." });
  return jobs;
}

const noSuchJob = (id: string, message: string) => new DomainError("not_found", message, { entity: "job", ids: [id] });

export const jobsRouter = router({
  /** Newest first; `nextCursor` is null on the last page. */
  list: adminProcedure.input(listJobsSchema).query(({ ctx, input }) => queueOf(ctx).list(input)),

  show: adminProcedure.input(jobIdSchema).query(async ({ ctx, input }) => {
    const job = await queueOf(ctx).show(input.id);
    if (!job) throw noSuchJob(input.id, "No such job.");
    return job;
  }),

  /** Only a failed (dead-lettered) job can be redriven: a queued or running one is already on its way. */
  retry: adminProcedure.input(jobIdSchema).mutation(async ({ ctx, input }) => {
    const redriven = await queueOf(ctx).retry(input.id);
    if (!redriven) throw noSuchJob(input.id, "No failed job with this id.");
    return { ok: true as const };
  }),
});
