import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import type { CartwheelTokens } from "@cartwheel/client";

export interface StoredCredentials {
  readonly url: string;
  readonly email?: string;
  readonly role?: string;
  readonly tokens: CartwheelTokens;
}

/** `$XDG_CONFIG_HOME/cartwheel/credentials.json`, with XDG's default of `~/.config`. */
export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith("/") ? env.XDG_CONFIG_HOME : join(homedir(), ".config");
  return join(base, "cartwheel", "credentials.json");
}

export function readCredentials(path = credentialsPath()): StoredCredentials | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return null;
  }
  try {
    const parsed = JSON.parse(text) as Partial<StoredCredentials>;
    if (typeof parsed.url !== "string" || typeof parsed.tokens?.accessToken !== "string") return null;
    return parsed as StoredCredentials;
  } catch {
    return null;
  }
}

/**
 * Writes the file readable by its owner only (0600, directory 0700). The temporary file
 * is created with that mode and renamed over the old one, so no reader ever sees a
 * half-written or briefly world-readable file.
 */
export function writeCredentials(credentials: StoredCredentials, path = credentialsPath()): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

export function deleteCredentials(path = credentialsPath()): boolean {
  try {
    rmSync(path);
    return true;
  } catch {
    return false;
  }
}
