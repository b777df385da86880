import { availableParallelism } from "node:os";
import { inSpan, type Span } from "@cartwheel/tracing";
import { hash, verify } from "@node-rs/argon2";
import { dictionary } from "@zxcvbn-ts/language-common";
import {
  PASSWORD_MAX_INPUT_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_TOO_LONG,
  PASSWORD_TOO_SHORT,
} from "@cartwheel/contracts/limits";
import { generateSecret } from "./crypto.ts";

/**
 * OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane. @node-rs/argon2 defaults to
 * argon2id (a test asserts it from the PHC string) and runs on the libuv thread pool,
 * so hashing never blocks the event loop.
 */
export const argon2Params = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

/**
 * At most this many argon2 runs at once, queued in arrival order. libuv's pool would run four,
 * each a core-bound 19 MiB job: on a 2-core machine 20 concurrent logins then starve the event
 * loop (every other request stalls) and add ~76 MiB of RSS. One core stays with the loop.
 */
export const MAX_CONCURRENT_HASHES = Math.max(1, availableParallelism() - 1);
/**
 * Jobs allowed to wait for a slot. One argon2 run takes ~40-60 ms here, so a full queue is
 * about a second of work: beyond that a login would wait longer than a client retrying later.
 */
export const MAX_WAITING_HASHES = 16 * MAX_CONCURRENT_HASHES;

/** The hash queue is full: the caller sheds the request (503 + Retry-After) instead of queueing it. */
export class PasswordQueueFull extends Error {
  override readonly name = "PasswordQueueFull";
  constructor() {
    super("Too many password checks are waiting.");
  }
}

/** A queued check whose caller went away (`signal` aborted) is dropped before it runs. */
export class PasswordCheckAbandoned extends Error {
  override readonly name = "PasswordCheckAbandoned";
  constructor() {
    super("The caller went away before its password check ran.");
  }
}

/**
 * `priority`: a sign-in from a device known to the account (device token) is served first.
 * `signal`: the caller's request; once it aborts, a waiting job leaves the line, so clients
 * that disconnect cannot keep the queue full for those still waiting.
 */
interface HashJobOptions {
  priority?: boolean;
  signal?: AbortSignal;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password or a malformed stored hash; rejects only with PasswordQueueFull or PasswordCheckAbandoned. */
  verify(passwordHash: string, password: string, options?: HashJobOptions): Promise<boolean>;
  /** Runs any job under the same limits (tests hold a slot with it). */
  run<T>(job: () => Promise<T>, options?: HashJobOptions): Promise<T>;
  /** Whether a job would be accepted now: lets callers shed before doing other work. */
  hasRoom(options?: HashJobOptions): boolean;
}

/** Resolves when handed a slot; an abort first takes the caller out of the line. */
function waitInLine(line: (() => void)[], signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const handOver = () => {
      signal?.removeEventListener("abort", leave);
      resolve();
    };
    const leave = () => {
      const index = line.indexOf(handOver);
      if (index === -1) return;
      line.splice(index, 1);
      reject(new PasswordCheckAbandoned());
    };
    line.push(handOver);
    signal?.addEventListener("abort", leave, { once: true });
  });
}

/**
 * Two waiting lines, each bounded: priority jobs go first, so a flood of sign-ins for unknown
 * or guessed accounts cannot push out the owners of accounts signing in from their devices.
 */
export function createPasswordHasher(limits: { maxConcurrent?: number; maxWaiting?: number } = {}): PasswordHasher {
  const maxConcurrent = limits.maxConcurrent ?? MAX_CONCURRENT_HASHES;
  const maxWaiting = limits.maxWaiting ?? MAX_WAITING_HASHES;
  let running = 0;
  const waiting: (() => void)[] = [];
  const priorityWaiting: (() => void)[] = [];

  async function run<T>(job: () => Promise<T>, options: HashJobOptions = {}): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) throw new PasswordCheckAbandoned();
    const line = options.priority ? priorityWaiting : waiting;
    if (running < maxConcurrent) running += 1;
    else if (line.length >= maxWaiting) throw new PasswordQueueFull();
    else await waitInLine(line, signal);
    try {
      return await job();
    } finally {
      // Hand the slot straight to the next waiter, or give it back.
      const next = priorityWaiting.shift() ?? waiting.shift();
      if (next) next();
      else running -= 1;
    }
  }

  return {
    run,
    hasRoom: (options = {}) =>
      running < maxConcurrent || (options.priority ? priorityWaiting : waiting).length < maxWaiting,
    hash: (password) => inSpan("argon2.hash", {}, (span) => run(timed(span, () => hash(password, argon2Params)))),
    verify: (passwordHash, password, options) =>
      inSpan("argon2.verify", {}, (span) =>
        // A malformed stored hash is a failed login, not a 500.
        run(
          timed(span, () => verify(passwordHash, password).catch(() => false)),
          options,
        ),
      ),
  };
}

/** Records on the hashing span how long the job waited for a slot: a slow login is often a queue. */
function timed<T>(span: Span | undefined, job: () => Promise<T>): () => Promise<T> {
  if (!span) return job;
  const queued = performance.now();
  return () => {
    span.setAttribute("argon2.queue_wait_ms", Math.round((performance.now() - queued) * 10) / 10);
    return job();
  };
}

/** The process-wide queue: every caller shares the same CPU, so they share its limits. */
export const sharedPasswordHasher = createPasswordHasher();

export const hashPassword = (password: string): Promise<string> => sharedPasswordHasher.hash(password);

export const verifyPassword = (passwordHash: string, password: string): Promise<boolean> =>
  sharedPasswordHasher.verify(passwordHash, password);

// ~49k leaked passwords maintained by the zxcvbn-ts project, lower-cased.
const commonPasswords = new Set(dictionary["passwords-common"]);

export function isCommonPassword(password: string): boolean {
  return commonPasswords.has(password.toLowerCase());
}

const graphemes = new Intl.Segmenter();

/** Graphemes in `text`, counting no further than `limit` (one linear pass, stopped early). */
function countGraphemes(text: string, limit: number): number {
  let count = 0;
  for (const _ of graphemes.segment(text)) if (++count >= limit) break;
  return count;
}

/**
 * Why a new password is refused, or null: the one place the password rules are checked
 * (their bounds are @cartwheel/contracts limits). NIST 800-63B
 * style: length and a blocklist, no composition rules. Length counts what people see as
 * characters (graphemes); the size bound comes first, so no rule ever sees a huge input.
 */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length > PASSWORD_MAX_INPUT_LENGTH) return PASSWORD_TOO_LONG;
  const length = countGraphemes(password, PASSWORD_MAX_LENGTH + 1);
  if (length < PASSWORD_MIN_LENGTH) return PASSWORD_TOO_SHORT;
  if (length > PASSWORD_MAX_LENGTH) return PASSWORD_TOO_LONG;
  if (isCommonPassword(password)) return "This password is too common. Choose another.";
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) return "The password must differ from your email.";
  return null;
}

/**
 * A hash of a random password, verified against when the email is unknown, so that
 * "no such user" costs one argon2 run just like "wrong password".
 */
export function createDummyHash(hasher: PasswordHasher = sharedPasswordHasher): Promise<string> {
  return hasher.hash(generateSecret());
}
