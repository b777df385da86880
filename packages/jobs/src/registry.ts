// The open list of what runs in the background: jobs, which events start which jobs, and
// cron schedules. Consumers (mail, webhooks, retention) register here with a line each; the
// engines read it when they start.
import type { DomainEventType, RecordedEvent } from "@cartwheel/contracts";
import type { JobDefinition } from "./define-job.ts";

export interface EventRoute {
  job: string;
  /** The job's payload for this event; it should carry `event.id` for idempotence. */
  payload: (event: RecordedEvent) => unknown;
}

export interface Schedule {
  job: string;
  cron: string;
  payload: unknown;
}

export class JobRegistry {
  readonly jobs = new Map<string, JobDefinition>();
  readonly routes = new Map<string, EventRoute[]>();
  readonly schedules: Schedule[] = [];

  add(job: JobDefinition): this {
    if (this.jobs.has(job.name)) throw new Error(`job registered twice: ${job.name}`);
    this.jobs.set(job.name, job);
    return this;
  }

  /** Each event of `type` the relay publishes creates one `job`. */
  route(
    type: DomainEventType,
    job: string,
    payload: EventRoute["payload"] = (event) => ({ eventId: event.id, ...event.payload }),
  ): this {
    this.routes.set(type, [...(this.routes.get(type) ?? []), { job, payload }]);
    return this;
  }

  /** Runs `job` on the engine's cron (five fields, UTC). */
  schedule(job: string, cron: string, payload: unknown = {}): this {
    this.schedules.push({ job, cron, payload });
    return this;
  }

  get(name: string): JobDefinition {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`unknown job: ${name.slice(0, 64)}`);
    return job;
  }

  /** Checks that every route and schedule names a registered job. */
  validate(): void {
    for (const routes of this.routes.values()) for (const route of routes) this.get(route.job);
    for (const schedule of this.schedules) this.get(schedule.job);
  }
}
