// The one way an account comes into existence: sign-up, the CLI's `users create` and the
// development seed all call createAccount, so the e-mail form, the password rules, the hash
// and the duplicate check cannot drift apart. The name and address are stored sealed, and
// the duplicate check is the unique index on the address's blind index (user-pii.ts).
import { isUniqueViolation, type Database, type Db, type Role } from "@cartwheel/db";
import { DomainError, EMAIL_MAX_LENGTH, INVALID_EMAIL_MESSAGE, NAME_MAX_LENGTH } from "@cartwheel/contracts";
import { normaliseEmail } from "@cartwheel/pii";
import { passwordProblem, sharedPasswordHasher, type PasswordHasher } from "./passwords.ts";
import { createUserSealing, type UserSealingDeps } from "./user-pii.ts";

// Deliberately loose (one @, a dot in the domain, no spaces): deliverability is the mailbox's business.
const emailShape = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

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

export interface AccountDeps extends UserSealingDeps {
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
  const email = normaliseEmail(input.email.slice(0, EMAIL_MAX_LENGTH + 1));
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
  const sealed = createUserSealing(deps, deps.database).sealUser({ email, name });
  const insert = async (tx: Db) => {
    const [row] = await tx
      .insert(s.users)
      .values({ ...sealed, passwordHash, role: input.role, createdAt: at, updatedAt: at })
      .returning({ id: s.users.id, role: s.users.role, createdAt: s.users.createdAt });
    if (!row) throw new Error("insert returned no row");
    // What was sealed, rather than the row read back and opened again.
    const user: PublicUser = { ...row, email, name };
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
