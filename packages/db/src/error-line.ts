/**
 * One readable line for an error from any driver, for startup and CLI messages. Drizzle
 * wraps driver errors as "Failed query: <sql>\nparams: …" (the useful part is the cause),
 * and a refused dual-stack connect (localhost) is an AggregateError with an empty message.
 */
export function errorLine(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const message = current.message.trim();
    if (current instanceof AggregateError && !message && current.errors.length > 0) {
      current = current.errors[0];
      continue;
    }
    if ((!message || message.startsWith("Failed query:")) && current.cause !== undefined) {
      current = current.cause;
      continue;
    }
    const code = (current as { code?: unknown }).code;
    const line = message.split("\n")[0]!;
    return line || (typeof code === "string" ? code : current.name);
  }
  return String(current);
}
