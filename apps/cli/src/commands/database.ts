// Commands that talk to the database directly instead of the API: migrations, the demo
// seed, and creating the first admin (no admin exists yet to do it through the API).
// Loaded only by these commands, so the database drivers never slow down the others.
import { createAccount } from "@cartwheel/auth";
import { DomainError, roles } from "@cartwheel/contracts";
import { createDatabase, type Database, DEFAULT_DATABASE_URL, resolveDatabaseUrl, seedCatalog } from "@cartwheel/db";
import { normaliseEmail } from "@cartwheel/pii";
import type { Command } from "commander";
import { parseChoice } from "../runtime/args.ts";
import { CliError, UsageError } from "../runtime/errors.ts";
import { note, writeJson } from "../runtime/output.ts";
import { piiKeysFor } from "../runtime/pii-keys.ts";
import { ask, readPassword } from "../runtime/prompt.ts";

/** --database-url, then DATABASE_URL, then the server's default; relative SQLite paths from the cwd. */
export function databaseUrl(command: Command): string {
  const url = command.opts<{ databaseUrl?: string }>().databaseUrl ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  return resolveDatabaseUrl(url, process.cwd());
}

/** `migrate: true` forces migrations; otherwise the default applies (SQLite migrates on open). */
export async function withDatabase<T>(
  command: Command,
  forceMigrate: boolean,
  task: (database: Database) => Promise<T>,
): Promise<T> {
  const database = await createDatabase(databaseUrl(command), forceMigrate ? { migrate: true } : {});
  try {
    return await task(database);
  } finally {
    await database.close();
  }
}

export async function migrate(command: Command): Promise<void> {
  const label = await withDatabase(command, true, async (database) => database.label);
  note(`Migrations are up to date on ${label}.`);
}

export async function seed(command: Command): Promise<void> {
  const result = await withDatabase(command, false, (database) => seedCatalog(database, { now: () => new Date() }));
  if (command.opts<{ json?: boolean }>().json) return writeJson(result);
  note(`Demo catalog: ${result.inserted} products added, ${result.existing} already present.`);
}

interface CreateUserOptions {
  email?: string;
  name?: string;
  role: string;
  passwordStdin?: boolean;
  json?: boolean;
}

export async function createUser(command: Command): Promise<void> {
  const options = command.opts<CreateUserOptions>();
  const role = parseChoice(options.role, "--role", roles);
  const email = normaliseEmail(options.email ?? (await ask("Email: ")));
  const password = await readPassword(options.passwordStdin === true);
  const name = options.name ?? email.split("@")[0]!;

  // Before the database opens: missing production keys are refused without touching it.
  const { pii, emailIndexKey } = piiKeysFor(databaseUrl(command));
  // Opening applies pending migrations on SQLite; PostgreSQL needs `cartwheel db migrate` first.
  // createAccount is the same function sign-up uses: same e-mail check, password rules and hash.
  const user = await withDatabase(command, false, (database) =>
    createAccount({ database, now: () => new Date(), pii, emailIndexKey }, { email, password, name, role }).catch(
      (error: unknown) => {
        if (!(error instanceof DomainError)) throw error;
        const refusal: DomainError = error;
        if (refusal.is("invalid_input") && refusal.details.field === "email")
          throw new UsageError(`"${email}": ${refusal.message}`);
        if (refusal.is("invalid_password")) throw new CliError(`password refused: ${refusal.message}`);
        throw new CliError(refusal.message);
      },
    ),
  );
  if (options.json) return writeJson({ id: user.id, email: user.email, name: user.name, role: user.role });
  note(`Created ${user.role} ${user.email} (${user.id}).`);
}
