import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Dialect } from "./database.ts";

/**
 * Where each dialect's committed migrations are: beside the package source, or copied
 * next to a bundle (apps/server and apps/cli ship them in dist/migrations).
 */
export function migrationsFolder(dialect: Dialect): string {
  const folder = dialect === "sqlite" ? "sqlite" : "pg";
  const candidates = [`../migrations/${folder}`, `./migrations/${folder}`].map((relative) =>
    fileURLToPath(new URL(relative, import.meta.url)),
  );
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`No ${dialect} migrations found (looked in ${candidates.join(", ")})`);
  return found;
}
