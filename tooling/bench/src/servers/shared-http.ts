// Process plumbing for every peer, with no application imports (the bare peers load nothing else).

export function listenPort(): number {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error("PORT must be set");
  return port;
}

/** SIGTERM → close, then exit 0, like the real server. */
export function exitOnSigterm(close: () => Promise<unknown> | void): void {
  process.once("SIGTERM", () => {
    void Promise.resolve(close()).finally(() => process.exit(0));
  });
}

/** `file:PATH` → PATH, as the server resolves DATABASE_URL for SQLite. */
export function sqlitePath(url: string | undefined): string {
  if (!url?.startsWith("file:")) throw new Error("DATABASE_URL must be a file: URL for this peer");
  return url.slice("file:".length);
}
