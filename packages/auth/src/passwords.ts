import { availableParallelism } from "node:os";
import { hash, verify } from "@node-rs/argon2";
import { dictionary } from "@zxcvbn-ts/language-common";
import { generateSecret } from "./crypto.ts";

/**
 * OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane. @node-rs/argon2 defaults to
 * argon2id (a test asserts it from the PHC string) and runs on the libuv thread pool,
 * so hashing never blocks the event loop.
 */
export const argon2Params = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * At most this many argon2 runs at once, queued in arrival order. libuv's pool would run four,
 * each a core-bound 19 MiB job: on a 2-core machine 20 concurrent logins then starve the event
 * loop (every other request stalls) and add ~76 MiB of RSS. One core stays with the loop.
 */
export const MAX_CONCURRENT_HASHES = Math.max(1, availableParallelism() - 1);
let running = 0;
const waiting: (() => void)[] = [];

async function limited<T>(job: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  else running += 1;
  try {
    return await job();
  } finally {
    // Hand the slot straight to the next waiter, or give it back.
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

export function hashPassword(password: string): Promise<string> {
  return limited(() => hash(password, argon2Params));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await limited(() => verify(passwordHash, password));
  } catch {
    return false; // A malformed stored hash is a failed login, not a 500.
  }
}

// ~49k leaked passwords maintained by the zxcvbn-ts project, lower-cased.
const commonPasswords = new Set(dictionary["passwords-common"]);

export function isCommonPassword(password: string): boolean {
  return commonPasswords.has(password.toLowerCase());
}

const graphemes = new Intl.Segmenter();

/**
 * Why a new password is refused, or null. NIST 800-63B style: length and a blocklist,
 * no composition rules. Length counts what people see as characters (graphemes).
 */
export function passwordProblem(password: string, email: string): string | null {
  const length = [...graphemes.segment(password)].length;
  if (length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  if (isCommonPassword(password)) return "This password is too common. Choose another.";
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) return "The password must differ from your email.";
  return null;
}

/**
 * A hash of a random password, verified against when the email is unknown, so that
 * "no such user" costs one argon2 run just like "wrong password".
 */
export function createDummyHash(): Promise<string> {
  return hashPassword(generateSecret());
}
