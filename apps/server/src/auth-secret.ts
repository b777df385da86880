import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { devSecretsFolder } from "@cartwheel/db/url";
import { createPiiBox, type PiiBox, resolvePiiKeys } from "@cartwheel/pii";
import type { Config } from "./config.ts";

const encode = (key: string) => new TextEncoder().encode(key);

/**
 * The HS256 key for access tokens. Production must set AUTH_SECRET (config refuses to
 * start without it). Development generates one and keeps it in the data folder, readable by
 * the owner only, so sessions survive restarts.
 */
export function resolveAuthSecret(config: Pick<Config, "AUTH_SECRET" | "DATABASE_URL">): Uint8Array {
  if (config.AUTH_SECRET) return encode(config.AUTH_SECRET);
  const folder = devSecretsFolder(config.DATABASE_URL);
  if (folder === null) return randomBytes(32);
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

/**
 * The PII key ring (PII_KEYS) and blind-index key (PII_INDEX_KEY). Production must set both
 * (config refuses to start without them); development generates them into the data folder
 * like AUTH_SECRET (@cartwheel/pii's resolvePiiKeys).
 */
export function resolvePii(config: Pick<Config, "PII_KEYS" | "PII_INDEX_KEY" | "DATABASE_URL" | "NODE_ENV">): {
  box: PiiBox;
  indexKey: ReturnType<typeof resolvePiiKeys>["indexKey"];
} {
  const { ring, indexKey } = resolvePiiKeys({
    piiKeys: config.PII_KEYS,
    piiIndexKey: config.PII_INDEX_KEY,
    dataFolder: devSecretsFolder(config.DATABASE_URL),
    production: config.NODE_ENV === "production",
  });
  return { box: createPiiBox(ring), indexKey };
}
