// `cartwheel pii rotate` and `cartwheel pii check`: they talk to the database directly, with
// the same keys the server has (runtime/pii-keys.ts), because resealing means opening every
// value and no API should hand out a way to do that.
import { PLAINTEXT, piiKeyUsage, rotatePii } from "@cartwheel/pii";
import type { Command } from "commander";
import { CliError } from "../runtime/errors.ts";
import { note, writeJson, writeTable } from "../runtime/output.ts";
import { piiKeysFor } from "../runtime/pii-keys.ts";
import { databaseUrl, withDatabase } from "./database.ts";

/**
 * Reseals every sealed value under the active key, seals values written before their column
 * was sealed, and gives every account its e-mail index. Progress goes to stderr a batch at a
 * time; stopping and running it again carries on where it stopped.
 */
export async function rotate(command: Command): Promise<void> {
  const { pii, emailIndexKey } = piiKeysFor(databaseUrl(command));
  const { json } = command.opts<{ json?: boolean }>();
  const results = await withDatabase(command, false, (database) =>
    rotatePii(database, pii, {
      indexKey: emailIndexKey,
      onProgress: (progress) => note(`${progress.field}: ${progress.resealed} resealed under ${pii.activeKeyId}`),
      onEmailIndexProgress: (progress) => note(`users.email_index: ${progress.indexed} built`),
    }),
  );
  if (json) return writeJson({ activeKeyId: pii.activeKeyId, columns: results });
  const resealed = results.reduce((sum, result) => sum + result.resealed, 0);
  note(`Done: ${resealed} values resealed under ${pii.activeKeyId}; every e-mail address is indexed.`);
}

/** How many values each key holds per column; a key may leave PII_KEYS once it holds none. */
export async function check(command: Command): Promise<void> {
  const { ring } = piiKeysFor(databaseUrl(command));
  const { json } = command.opts<{ json?: boolean }>();
  const usage = await withDatabase(command, false, (database) => piiKeyUsage(database, ring.keyIds));
  if (json) return writeJson({ activeKeyId: ring.activeKeyId, columns: usage });
  const keys = [...new Set(usage.flatMap((entry) => Object.keys(entry.byKey)))];
  writeTable(usage, [
    { header: "COLUMN", value: (entry) => entry.field },
    ...keys.map((key) => ({
      header: key === ring.activeKeyId ? `${key} (active)` : key,
      value: (entry: (typeof usage)[number]) => String(entry.byKey[key] ?? 0),
      align: "right" as const,
    })),
  ]);
  const idle = ring.keyIds.filter((key) => key !== ring.activeKeyId && usage.every((entry) => !entry.byKey[key]));
  if (idle.length > 0) note(`No value is sealed under ${idle.join(", ")}: it can be removed from PII_KEYS.`);
  const unsealed = usage.flatMap((entry) =>
    Object.entries(entry.byKey)
      .filter(([key, n]) => n > 0 && (key === PLAINTEXT || !ring.keyIds.includes(key)))
      .map(([key, n]) => `${n} in ${entry.field} (${key})`),
  );
  // Exit 1, so a deployment script can wait for a clean check before dropping a key.
  if (unsealed.length > 0)
    throw new CliError(`Not sealed under PII_KEYS: ${unsealed.join(", ")}. Run cartwheel pii rotate.`);
}
