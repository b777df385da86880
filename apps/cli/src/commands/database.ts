// Commands that talk to the database directly instead of the API: migrations, the demo
// seed, and creating the first admin (no admin exists yet to do it through the API).
// Loaded only by these commands, so the database drivers never slow down the others.
import { normalizeEmail, hashPassword, passwordProblem } from "@cartwheel/auth";
import {
  createDatabase,
  type Database,
  DEFAULT_DATABASE_URL,
  isUniqueViolation,
  resolveDatabaseUrl,
  seedCatalog,
} from "@cartwheel/db";
import type { Command } from "commander";
import { parseChoice, ROLES } from "../runtime/args.ts";
import { CliError, UsageError } from "../runtime/errors.ts";
import { note, writeJson } from "../runtime/output.ts";
import { ask, readPassword } from "../runtime/prompt.ts";

/** --database-url, then DATABASE_URL, then the server's default; relative SQLite paths from the cwd. */
function databaseUrl(command: Command): string {
  const url = command.opts<{ databaseUrl?: string }>().databaseUrl ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  return resolveDatabaseUrl(url, process.cwd());
}

/** `migrate: true` forces migrations; otherwise the default applies (SQLite migrates on open). */
async function withDatabase<T>(
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
  const role = parseChoice(options.role, "--role", ROLES);
  const email = normalizeEmail(options.email ?? (await ask("Email: ")));
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new UsageError(`"${email}" is not an email address`);
  const password = await readPassword(options.passwordStdin === true);
  const problem = passwordProblem(password, email);
  if (problem) throw new CliError(`password refused: ${problem}`);
  const passwordHash = await hashPassword(password);
  const name = options.name ?? email.split("@")[0]!;

  // Opening applies pending migrations on SQLite; PostgreSQL needs `cartwheel db migrate` first.
  const user = await withDatabase(command, false, async ({ db, schema: s }) => {
    const at = new Date();
    const [row] = await db
      .insert(s.users)
      .values({ email, passwordHash, name, role, createdAt: at, updatedAt: at })
      .returning({ id: s.users.id, email: s.users.email, name: s.users.name, role: s.users.role })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw new CliError(`a user with email ${email} already exists`);
        throw error;
      });
    return row!;
  });
  if (options.json) return writeJson(user);
  note(`Created ${user.role} ${user.email} (${user.id}).`);
}
