import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  DEV_KEY_FILE,
  emailIndex,
  generateIndexKey,
  generateKeyRingEntry,
  openPii,
  PiiConfigError,
  PiiIntegrityError,
  PiiKeyUnknownError,
  resolvePiiKeys,
  sealPii,
  type ResolvedPiiKeys,
} from "../src/index.ts";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), "pii-keys-"));
  folders.push(folder);
  return folder;
}

/** Whether two resolutions hold the same keys: one opens what the other sealed, and they index alike. */
function sameKeys(first: ResolvedPiiKeys, second: ResolvedPiiKeys): boolean {
  const sealed = sealPii(first.ring, "users.name", "Ada");
  try {
    return (
      openPii(second.ring, "users.name", sealed) === "Ada" &&
      emailIndex(first.indexKey, "a@example.com") === emailIndex(second.indexKey, "a@example.com")
    );
  } catch (error) {
    // Another generated ring has another key id, so its values name a key this ring lacks.
    if (error instanceof PiiIntegrityError || error instanceof PiiKeyUnknownError) return false;
    throw error;
  }
}

describe("resolvePiiKeys in production", () => {
  it("refuses to start without PII_KEYS, saying how to generate one", () => {
    const folder = tempFolder();
    const resolve = () => resolvePiiKeys({ piiIndexKey: generateIndexKey(), dataFolder: folder, production: true });
    expect(resolve).toThrow(PiiConfigError);
    expect(resolve).toThrow(/^PII_KEYS is required in production: generate one with node -e .*randomBytes\(32\)/);
    expect(() => resolvePiiKeys({ piiKeys: "", dataFolder: null, production: true })).toThrow(/^PII_KEYS is required/);
    expect(readdirSync(folder)).toEqual([]);
  });

  it("refuses to start without PII_INDEX_KEY", () => {
    const keys = { piiKeys: generateKeyRingEntry("k1"), piiIndexKey: " ", dataFolder: null, production: true };
    expect(() => resolvePiiKeys(keys)).toThrow(
      /^PII_INDEX_KEY is required in production: generate one with openssl rand -base64 32/,
    );
  });

  it("uses the variables and writes nothing", () => {
    const folder = tempFolder();
    const resolved = resolvePiiKeys({
      piiKeys: generateKeyRingEntry("k1"),
      piiIndexKey: generateIndexKey(),
      dataFolder: folder,
      production: true,
    });
    expect(resolved.ring.activeKeyId).toBe("k1");
    expect(resolved.generated).toBe(false);
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe("resolvePiiKeys in development", () => {
  it("generates a key file readable by the owner only, and reads the same keys back next time", () => {
    const folder = join(tempFolder(), "nested", "data");
    const first = resolvePiiKeys({ dataFolder: folder, production: false });
    const file = join(folder, DEV_KEY_FILE);
    expect(first.generated).toBe(true);
    expect(readdirSync(folder)).toEqual([DEV_KEY_FILE]);
    expect(readFileSync(file, "utf8")).toMatch(
      /^PII_KEYS=dev-[0-9a-f]{6}:[A-Za-z0-9_-]{43}:active\nPII_INDEX_KEY=[A-Za-z0-9_-]{43}\n$/,
    );

    const second = resolvePiiKeys({ piiKeys: "", dataFolder: folder, production: false });
    expect(sameKeys(first, second)).toBe(true);
    expect(second.ring.keyIds).toEqual(first.ring.keyIds);
    expect(first.ring.activeKeyId).toMatch(/^dev-[0-9a-f]{6}$/);
  });

  // Windows has no owner-only mode bits to check.
  it.skipIf(process.platform === "win32")("creates the key file with mode 0600", () => {
    const folder = tempFolder();
    resolvePiiKeys({ dataFolder: folder, production: false });
    expect(statSync(join(folder, DEV_KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it("agrees on one key file when several processes start at once", { timeout: 30_000 }, async () => {
    const folder = tempFolder();
    const script = `
      const pii = await import(${JSON.stringify(new URL("../src/index.ts", import.meta.url).href)});
      const keys = pii.resolvePiiKeys({ dataFolder: ${JSON.stringify(folder)}, production: false });
      console.log(pii.emailIndex(keys.indexKey, "a@example.com"), pii.sealPii(keys.ring, "users.name", "Ada"));`;
    const run = () => promisify(execFile)(process.execPath, ["--input-type=module", "-e", script]);
    const outputs = await Promise.all(Array.from({ length: 6 }, run));
    const settled = resolvePiiKeys({ dataFolder: folder, production: false });
    for (const { stdout } of outputs) {
      const [index, sealed] = stdout.trim().split(" ");
      expect(index).toBe(emailIndex(settled.indexKey, "a@example.com"));
      expect(openPii(settled.ring, "users.name", sealed!)).toBe("Ada");
    }
    expect(readdirSync(folder)).toEqual([DEV_KEY_FILE]);
  });

  it("never overwrites a key file that exists", () => {
    const folder = tempFolder();
    const contents = `PII_KEYS=${generateKeyRingEntry("mine")}\nPII_INDEX_KEY=${generateIndexKey()}\n`;
    writeFileSync(join(folder, DEV_KEY_FILE), contents);
    expect(resolvePiiKeys({ dataFolder: folder, production: false }).ring.activeKeyId).toBe("mine");
    expect(readFileSync(join(folder, DEV_KEY_FILE), "utf8")).toBe(contents);
  });

  it("refuses a key file that lacks a key rather than replacing it", () => {
    const folder = tempFolder();
    writeFileSync(join(folder, DEV_KEY_FILE), `PII_KEYS=${generateKeyRingEntry("mine")}\n`);
    expect(() => resolvePiiKeys({ dataFolder: folder, production: false })).toThrow(
      /pii-keys lacks PII_KEYS or PII_INDEX_KEY: restore it, or set both variables$/,
    );
  });

  it("lets variables from the environment win over the file, one by one", () => {
    const folder = tempFolder();
    const fromFile = resolvePiiKeys({ dataFolder: folder, production: false });
    const piiKeys = generateKeyRingEntry("env");
    const mixed = resolvePiiKeys({ piiKeys, dataFolder: folder, production: false });
    expect(mixed.ring.keyIds).toEqual(["env"]);
    expect(emailIndex(mixed.indexKey, "a@example.com")).toBe(emailIndex(fromFile.indexKey, "a@example.com"));

    const piiIndexKey = generateIndexKey();
    const both = resolvePiiKeys({ piiKeys, piiIndexKey, dataFolder: folder, production: false });
    expect(both.generated).toBe(false);
    expect(both.ring.keyIds).toEqual(["env"]);
    expect(emailIndex(both.indexKey, "a@example.com")).not.toBe(emailIndex(fromFile.indexKey, "a@example.com"));
  });

  it("gives an in-memory database throwaway keys, fresh each time", () => {
    const first = resolvePiiKeys({ dataFolder: null, production: false });
    const second = resolvePiiKeys({ dataFolder: null, production: false });
    expect(first.generated).toBe(true);
    // Each generated ring has a key id of its own, so one's values show as an unknown key to another.
    expect(first.ring.activeKeyId).toMatch(/^dev-[0-9a-f]{6}$/);
    expect(first.ring.activeKeyId).not.toBe(second.ring.activeKeyId);
    expect(openPii(first.ring, "users.name", sealPii(first.ring, "users.name", "Ada"))).toBe("Ada");
    expect(sameKeys(first, second)).toBe(false);
  });
});
