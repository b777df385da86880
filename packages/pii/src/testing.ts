// Boxes under fresh random keys for tests: nothing fixed to copy into a real deployment, and
// values sealed by one test's box do not open in another's.
import type { KeyObject } from "node:crypto";
import { createPiiBox, type PiiBox } from "./box.ts";
import { generateIndexKey, generateKeyRingEntry, parseIndexKey, parseKeyRing } from "./key-ring.ts";

/** `keyId` names the key in sealed values (`pii1.<keyId>.…`), so a test can tell two boxes' values apart. */
export function testPiiBox(keyId = "test"): PiiBox {
  return createPiiBox(parseKeyRing(generateKeyRingEntry(keyId)));
}

/**
 * What services that seal users take (auth's and commerce's deps name them so): a box and
 * the blind-index key, both fresh. Spread it into their deps; pass one to every service of a
 * test, since values sealed under one do not open under another.
 */
export interface TestPii {
  pii: PiiBox;
  emailIndexKey: KeyObject;
}

export function testPii(keyId = "test"): TestPii {
  return { pii: testPiiBox(keyId), emailIndexKey: parseIndexKey(generateIndexKey()) };
}

/** PII_KEYS and PII_INDEX_KEY with fresh keys, for a server started in production mode by a test. */
export function testPiiEnv(): { PII_KEYS: string; PII_INDEX_KEY: string } {
  return { PII_KEYS: generateKeyRingEntry("test"), PII_INDEX_KEY: generateIndexKey() };
}

/** The keys of a server given `env` (testPiiEnv's), so a test can read or write its rows. */
export function piiOfEnv(env: { PII_KEYS: string; PII_INDEX_KEY: string }): TestPii {
  return { pii: createPiiBox(parseKeyRing(env.PII_KEYS)), emailIndexKey: parseIndexKey(env.PII_INDEX_KEY) };
}
