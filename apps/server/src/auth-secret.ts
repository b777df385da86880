import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseDatabaseUrl } from "@cartwheel/db/url";
import type { Config } from "./config.ts";

const encode = (key: string) => new TextEncoder().encode(key);

/**
 * The HS256 key for access tokens. Production must set AUTH_SECRET (config refuses to
 * start without it). Development generates one and keeps it beside the SQLite file,
 * readable by the owner only, so sessions survive restarts; an in-memory database gets
 * a throwaway key, since its sessions die with the process anyway.
 */
export function resolveAuthSecret(config: Pick<Config, "AUTH_SECRET" | "DATABASE_URL">): Uint8Array {
  if (config.AUTH_SECRET) return encode(config.AUTH_SECRET);
  const target = parseDatabaseUrl(config.DATABASE_URL);
  if (target.dialect === "sqlite" && target.inMemory) return randomBytes(32);
  const folder = target.dialect === "sqlite" ? dirname(target.path) : "./data";
  const file = join(folder, "auth-secret");
  mkdirSync(folder, { recursive: true });
  try {
    // "wx": never overwrite, so two processes starting at once end up with the same key.
    writeFileSync(file, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return encode(readFileSync(file, "utf8").trim());
}
