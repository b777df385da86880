import type { Database } from "@cartwheel/db";
import { eq } from "drizzle-orm";
import { generateSecret } from "./crypto.ts";
import { hashPassword } from "./passwords.ts";

export const DEV_ADMIN_EMAIL = "admin@example.com";

/**
 * Development only: creates admin@example.com with a random password when no admin
 * exists, and hands the password to `print` once (the terminal, never the logger,
 * whose lines are shipped and kept). Production never calls this.
 * Returns true when it created the account.
 */
export async function seedDevAdmin(deps: {
  database: Database;
  now: () => Date;
  print: (line: string) => void;
}): Promise<boolean> {
  const { db, schema: s } = deps.database;
  const [admin] = await db.select({ id: s.users.id }).from(s.users).where(eq(s.users.role, "admin")).limit(1);
  if (admin) return false;
  const password = generateSecret();
  const at = deps.now();
  const created = await db
    .insert(s.users)
    .values({
      email: DEV_ADMIN_EMAIL,
      passwordHash: await hashPassword(password),
      name: "Development admin",
      role: "admin",
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoNothing() // A non-admin already owns the address: leave it alone.
    .returning({ id: s.users.id });
  if (created.length === 0) return false;
  deps.print(`Development admin created: ${DEV_ADMIN_EMAIL} / ${password} (shown once, stored only as a hash)`);
  return true;
}
