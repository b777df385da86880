// Inputs of the jobs admin router (the job queue in operations). Job ids are UUIDs on both
// engines (pg-boss's and the jobs table's), so a malformed id is a 400 before any query runs.
import { z } from "zod";
import { jobStates } from "../enums.ts";
import { DEFAULT_PAGE_SIZE } from "../limits.ts";
import { cursorSchema, idSchema, pageSizeSchema } from "./fields.ts";

export const listJobsSchema = z
  .object({
    /** `failed` is the dead letter; the default, since that is what an operator looks for. */
    state: z.enum(jobStates).default("failed"),
    limit: pageSizeSchema,
    /** The previous page's `nextCursor`, opaque to callers. */
    cursor: cursorSchema.optional(),
  })
  .default({ state: "failed", limit: DEFAULT_PAGE_SIZE });
export type ListJobsInput = z.input<typeof listJobsSchema>;

export const jobIdSchema = z.object({ id: idSchema });
