export { defineJob, DEFAULT_RETRY, retryDelaySeconds } from "./define-job.ts";
export type { JobContext, JobDefinition, JobDetail, JobSummary, QueueStats, RetryPolicy } from "./define-job.ts";
export type { JobEngine, JobObserver, JobPage, ListJobsQuery } from "./engine.ts";
export { JobRegistry } from "./registry.ts";
export type { EventRoute, Schedule } from "./registry.ts";
export { createTableEngine } from "./table-engine.ts";
export { createPgBossEngine } from "./pg-boss-engine.ts";
export { createJobEngine } from "./create-engine.ts";
export type { CreateJobEngineOptions } from "./create-engine.ts";
