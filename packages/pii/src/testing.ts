// A box under fresh random keys for tests: nothing fixed to copy into a real deployment, and
// values sealed by one test's box do not open in another's.
import { createPiiBox, type PiiBox } from "./box.ts";
import { generateKeyRingEntry, parseKeyRing } from "./key-ring.ts";

export function testPiiBox(): PiiBox {
  return createPiiBox(parseKeyRing(generateKeyRingEntry("test")));
}
