import type { Command } from "commander";
import { jobStates, PAGE_SIZE_MAX } from "@cartwheel/contracts";
import { parseChoice, parsePageSize } from "../runtime/args.ts";
import { connect } from "../runtime/connect.ts";
import { formatDate, note, writeJson, writeLine, writeTable } from "../runtime/output.ts";
import { collectPages } from "../runtime/pages.ts";

/** The first line of a job's error, for a table cell; `show` prints all of it. */
const firstLine = (text: string | null) => (text ?? "").split("\n", 1)[0]!.slice(0, 80);

export async function list(command: Command): Promise<void> {
  const options = command.opts<{ state: string; limit?: string; all?: boolean; json?: boolean }>();
  const state = parseChoice(options.state, "--state", jobStates);
  const limit = parsePageSize(options.limit, 50);
  const { client } = connect();
  const { items, more } = await collectPages(
    (cursor) =>
      client.jobs.list.query({ state, limit: options.all ? PAGE_SIZE_MAX : limit, ...(cursor && { cursor }) }),
    Boolean(options.all),
  );
  if (options.json) return writeJson(items);
  writeTable(
    items,
    [
      { header: "ID", value: (j) => j.id },
      { header: "NAME", value: (j) => j.name },
      { header: "STATE", value: (j) => j.state },
      { header: "ATTEMPTS", value: (j) => `${j.attempts}/${j.retryLimit + 1}`, align: "right" },
      { header: "CREATED", value: (j) => formatDate(j.createdAt) },
      { header: "ERROR", value: (j) => firstLine(j.lastError) },
    ],
    `No ${state} jobs.`,
  );
  if (more) note(`Showing ${items.length}; use --all for every ${state} job.`);
}

/** The payload is printed in full: an admin needs it to judge a failure (it may hold addresses). */
export async function show(command: Command): Promise<void> {
  const [id] = command.processedArgs as [string];
  const { client } = connect();
  const job = await client.jobs.show.query({ id });
  if (command.opts<{ json?: boolean }>().json) return writeJson(job);
  const rows: Array<[string, string]> = [
    ["id", job.id],
    ["name", job.name],
    ["state", job.state],
    ["attempts", `${job.attempts} of ${job.retryLimit + 1}`],
    ["created", formatDate(job.createdAt)],
    ["start after", formatDate(job.startAfter)],
    ["completed", formatDate(job.completedAt)],
    ["error", job.lastError ?? "-"],
  ];
  for (const [key, value] of rows) writeLine(`${key.padEnd(12)}${value}`);
  writeLine(`${"payload".padEnd(12)}${JSON.stringify(job.payload, null, 2).replace(/\n/g, `\n${" ".repeat(12)}`)}`);
}

export async function retry(command: Command): Promise<void> {
  const [id] = command.processedArgs as [string];
  const { client } = connect();
  await client.jobs.retry.mutate({ id });
  note(`Job ${id} is queued again.`);
}
