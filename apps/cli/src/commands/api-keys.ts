import type { Command } from "commander";
import { roles } from "@cartwheel/contracts";
import { parseChoice } from "../runtime/args.ts";
import { connect } from "../runtime/connect.ts";
import { UsageError } from "../runtime/errors.ts";
import { formatDate, note, writeJson, writeLine, writeTable } from "../runtime/output.ts";

export async function create(command: Command): Promise<void> {
  const options = command.opts<{ name: string; role: string; expiresAt?: string; json?: boolean }>();
  const role = parseChoice(options.role, "--role", roles);
  let expiresAt: string | undefined;
  if (options.expiresAt !== undefined) {
    const at = new Date(options.expiresAt);
    if (Number.isNaN(at.getTime()))
      throw new UsageError(`--expires-at must be a date such as 2030-01-31 (got "${options.expiresAt}")`);
    expiresAt = at.toISOString();
  }
  const { client } = connect();
  const created = await client.apiKeys.create.mutate({ name: options.name, role, ...(expiresAt && { expiresAt }) });
  if (options.json) return writeJson(created);
  // The secret goes to stdout alone so `KEY=$(cartwheel api-keys create ...)` captures just it.
  writeLine(created.key);
  note(`Created API key "${created.name}" (${created.role}, id ${created.id}). The key is shown once: store it now.`);
}

export async function list(command: Command): Promise<void> {
  const { client } = connect();
  const keys = await client.apiKeys.list.query();
  if (command.opts<{ json?: boolean }>().json) return writeJson(keys);
  writeTable(
    keys,
    [
      { header: "ID", value: (k) => k.id },
      { header: "NAME", value: (k) => k.name },
      { header: "ROLE", value: (k) => k.role },
      { header: "EXPIRES", value: (k) => formatDate(k.expiresAt) },
      { header: "LAST USED", value: (k) => formatDate(k.lastUsedAt) },
      { header: "REVOKED", value: (k) => formatDate(k.revokedAt) },
    ],
    "No API keys.",
  );
}

export async function revoke(command: Command): Promise<void> {
  const [id] = command.processedArgs as [string];
  const { client } = connect();
  await client.apiKeys.revoke.mutate({ id });
  note(`Revoked API key ${id}.`);
}
