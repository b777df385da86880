// The one way an account comes into existence: sign-up, the CLI's `users create` and the
// development seed all call createAccount, so the e-mail form, the password rules, the hash
// and the duplicate check cannot drift apart.
import { isUniqueViolation, type Database, type Db, type Role } from "@cartwheel/db";
import { DomainError, EMAIL_MAX_LENGTH, INVALID_EMAIL_MESSAGE, NAME_MAX_LENGTH } from "@cartwheel/contracts";
import { passwordProblem, sharedPasswordHasher, type PasswordHasher } from "./passwords.ts";

// Deliberately loose (one @, a dot in the domain, no spaces): deliverability is the mailbox's business.
const emailShape = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
}

export interface NewAccount {
  email: string;
  password: string;
  name: string;
  role: Role;
}

export interface AccountDeps {
  database: Database;
  now: () => Date;
  hasher?: PasswordHasher;
}

/**
 * Normalises the e-mail, checks it, the name and the password rules (once), hashes the
 * password and inserts the user. Problems throw DomainError with the offending `field`; an
 * e-mail already in use is email_taken.
 */
export async function createAccount(
  deps: AccountDeps,
  input: NewAccount,
  options: { onCreated?: (tx: Db, user: PublicUser) => Promise<void> } = {},
): Promise<PublicUser> {
  const email = normalizeEmail(input.email.slice(0, EMAIL_MAX_LENGTH + 1));
  if (email.length > EMAIL_MAX_LENGTH || !emailShape.test(email)) {
    throw new DomainError("invalid_input", INVALID_EMAIL_MESSAGE, { field: "email" });
  }
  const name = input.name.trim();
  if (name.length === 0 || name.length > NAME_MAX_LENGTH) {
    throw new DomainError("invalid_input", `Enter a name of 1 to ${NAME_MAX_LENGTH} characters.`, { field: "name" });
  }
  const problem = passwordProblem(input.password, email);
  if (problem) throw new DomainError("invalid_password", problem, { field: "password" });
  const passwordHash = await (deps.hasher ?? sharedPasswordHasher).hash(input.password);

  const { db, schema: s } = deps.database;
  const at = deps.now();
  const insert = async (tx: Db) => {
    const [user] = await tx
      .insert(s.users)
      .values({ email, passwordHash, name, role: input.role, createdAt: at, updatedAt: at })
      .returning({
        id: s.users.id,
        email: s.users.email,
        name: s.users.name,
        role: s.users.role,
        createdAt: s.users.createdAt,
      });
    if (!user) throw new Error("insert returned no row");
    // In the insert's transaction: an event of sign-up commits or rolls back with the account.
    await options.onCreated?.(tx, user);
    return user;
  };
  const { onCreated } = options;
  return (onCreated ? deps.database.transaction(insert) : insert(db)).catch((error: unknown) => {
    if (!isUniqueViolation(error)) throw error;
    throw new DomainError("email_taken", "An account with this email already exists.", { field: "email" });
  });
}
