// Where the PII keys come from. Production must set PII_KEYS and PII_INDEX_KEY: a generated key
// would differ per instance and be lost with the container, and every value sealed under it
// with it. Development generates them once and keeps them beside the SQLite file, readable by
// the owner only, so sealed rows survive restarts; an in-memory database gets throwaway keys,
// since its rows die with the process anyway.
import { randomBytes, type KeyObject } from "node:crypto";
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PiiConfigError } from "./errors.ts";
import { generateIndexKey, generateKeyRingEntry, parseIndexKey, parseKeyRing, type PiiKeyRing } from "./key-ring.ts";

export const DEV_KEY_FILE = "pii-keys";

const GENERATE_KEYS_HINT =
  `generate one with node -e "console.log('2026a:' + require('node:crypto').randomBytes(32).toString('base64url') + ':active')"` +
  " (or 2026a:$(openssl rand -base64 32):active)";
const GENERATE_INDEX_KEY_HINT = "generate one with openssl rand -base64 32 and never change it";

export interface PiiKeySources {
  /** PII_KEYS from the environment; empty counts as unset. */
  piiKeys?: string | undefined;
  /** PII_INDEX_KEY from the environment; empty counts as unset. */
  piiIndexKey?: string | undefined;
  /** The folder of the SQLite file, or null for an in-memory database. */
  dataFolder: string | null;
  production: boolean;
}

export interface ResolvedPiiKeys {
  ring: PiiKeyRing;
  indexKey: KeyObject;
  /** True when a key came from development generation (the key file or throwaway) rather than the environment. */
  generated: boolean;
}

export function resolvePiiKeys(sources: PiiKeySources): ResolvedPiiKeys {
  const piiKeys = sources.piiKeys?.trim() || undefined;
  const piiIndexKey = sources.piiIndexKey?.trim() || undefined;
  if (sources.production) {
    if (!piiKeys) throw new PiiConfigError(`PII_KEYS is required in production: ${GENERATE_KEYS_HINT}`);
    if (!piiIndexKey) throw new PiiConfigError(`PII_INDEX_KEY is required in production: ${GENERATE_INDEX_KEY_HINT}`);
  }
  if (piiKeys && piiIndexKey) {
    return { ring: parseKeyRing(piiKeys), indexKey: parseIndexKey(piiIndexKey), generated: false };
  }
  // Explicit values win one by one: setting only PII_KEYS still takes the index key from the file.
  const fallback = sources.dataFolder === null ? freshKeys() : keyFileIn(sources.dataFolder);
  return {
    ring: parseKeyRing(piiKeys ?? fallback.PII_KEYS),
    indexKey: parseIndexKey(piiIndexKey ?? fallback.PII_INDEX_KEY),
    generated: true,
  };
}

interface KeyFile {
  PII_KEYS: string;
  PII_INDEX_KEY: string;
}

function freshKeys(): KeyFile {
  // A key id of its own: values sealed under another development key file show up as an
  // unknown key (pii check, PiiKeyUnknownError) instead of as a key that fails to open them.
  return { PII_KEYS: generateKeyRingEntry(`dev-${randomBytes(3).toString("hex")}`), PII_INDEX_KEY: generateIndexKey() };
}

function keyFileIn(folder: string): KeyFile {
  const file = join(folder, DEV_KEY_FILE);
  if (!existsSync(file)) createKeyFile(folder, file);
  return readKeyFile(file);
}

function createKeyFile(folder: string, file: string): void {
  mkdirSync(folder, { recursive: true });
  const keys = freshKeys();
  // Written whole to a private temporary file, then linked into place: link never overwrites,
  // so two processes starting at once agree on one file, and neither can read a half-written one.
  const draft = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(draft, `PII_KEYS=${keys.PII_KEYS}\nPII_INDEX_KEY=${keys.PII_INDEX_KEY}\n`, { mode: 0o600, flag: "wx" });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(draft);
  }
}

function readKeyFile(file: string): KeyFile {
  const values = new Map<string, string>();
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const equals = line.indexOf("=");
    if (equals > 0) values.set(line.slice(0, equals).trim(), line.slice(equals + 1).trim());
  }
  const piiKeys = values.get("PII_KEYS");
  const piiIndexKey = values.get("PII_INDEX_KEY");
  if (!piiKeys || !piiIndexKey) {
    // Not regenerated: values sealed under the keys it held would no longer open.
    throw new PiiConfigError(`${file} lacks PII_KEYS or PII_INDEX_KEY: restore it, or set both variables`);
  }
  return { PII_KEYS: piiKeys, PII_INDEX_KEY: piiIndexKey };
}
