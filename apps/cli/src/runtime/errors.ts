import { errorCode, isNetworkError, isTRPCClientError } from "@cartwheel/client";

/** A failure the user can act on; printed as one line, exit code 1. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/** Wrong arguments or options: exit code 2, like commander's own usage errors. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
  }
}

const HINTS: Partial<Record<string, string>> = {
  UNAUTHORIZED: "run `cartwheel login` (or set CARTWHEEL_API_KEY / CARTWHEEL_TOKEN)",
  FORBIDDEN: "your role does not allow this",
};

/** One readable line for any error: the server's verdict, a network failure, or a local problem. */
export function describeError(error: unknown, serverUrl?: string): string {
  if (isNetworkError(error)) {
    const cause = (error as Error).cause as (Error & { cause?: { code?: string; message?: string } }) | undefined;
    const detail = cause?.cause?.code ?? cause?.cause?.message ?? cause?.message ?? "network error";
    return `cannot reach ${serverUrl ?? "the server"} (${detail})`;
  }
  if (isTRPCClientError(error)) {
    const code = errorCode(error);
    const message = error.message.split("\n")[0] ?? "request failed";
    if (!code) return `unexpected answer from ${serverUrl ?? "the server"}: ${message}`;
    const hint = HINTS[code];
    return `${code}: ${message}${hint && code !== "UNAUTHORIZED" ? ` (${hint})` : ""}`;
  }
  if (error instanceof Error) return firstLine(error);
  return String(error);
}

function firstLine(error: Error): string {
  // Driver errors arrive wrapped ("Failed query: ...") with the useful part as the cause.
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const message = current.message.trim();
    if ((!message || message.startsWith("Failed query:")) && current.cause !== undefined) {
      current = current.cause;
      continue;
    }
    if (current instanceof AggregateError && !message && current.errors.length > 0) {
      current = current.errors[0];
      continue;
    }
    return message.split("\n")[0] || current.name;
  }
  return String(current);
}
