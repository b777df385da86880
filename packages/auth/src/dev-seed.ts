import { eq } from "drizzle-orm";
import { type AccountDeps, createAccount } from "./accounts.ts";
import { generateSecret } from "./crypto.ts";
import { DomainError } from "@cartwheel/contracts";

export const DEV_ADMIN_EMAIL = "admin@example.com";

/**
 * Development only: creates admin@example.com with a random password when no admin
 * exists, and hands the password to `print` once (the terminal, never the logger,
 * whose lines are shipped and kept). Production never calls this.
 * Returns true when it created the account.
 */
export async function seedDevAdmin(deps: AccountDeps & { print: (line: string) => void }): Promise<boolean> {
  const { db, schema: s } = deps.database;
  const [admin] = await db.select({ id: s.users.id }).from(s.users).where(eq(s.users.role, "admin")).limit(1);
  if (admin) return false;
  const password = generateSecret();
  try {
    await createAccount(deps, { email: DEV_ADMIN_EMAIL, password, name: "Development admin", role: "admin" });
  } catch (error) {
    // A non-admin already owns the address: leave it alone.
    if (error instanceof DomainError && error.reason === "email_taken") return false;
    throw error;
  }
  deps.print(`Development admin created: ${DEV_ADMIN_EMAIL} / ${password} (shown once, stored only as a hash)`);
  return true;
}
