// A box under fresh random keys for tests: nothing fixed to copy into a real deployment, and
// values sealed by one test's box do not open in another's.
import { createPiiBox, type PiiBox } from "./box.ts";
import { generateIndexKey, generateKeyRingEntry, parseKeyRing } from "./key-ring.ts";

/** `keyId` names the key in sealed values (`pii1.<keyId>.…`), so a test can tell two boxes' values apart. */
export function testPiiBox(keyId = "test"): PiiBox {
  return createPiiBox(parseKeyRing(generateKeyRingEntry(keyId)));
}

/** PII_KEYS and PII_INDEX_KEY with fresh keys, for a server started in production mode by a test. */
export function testPiiEnv(): { PII_KEYS: string; PII_INDEX_KEY: string } {
  return { PII_KEYS: generateKeyRingEntry("test"), PII_INDEX_KEY: generateIndexKey() };
}
