export { PiiConfigError, PiiError, PiiFormatError, PiiIntegrityError, PiiKeyUnknownError } from "./errors.ts";
export {
  generateIndexKey,
  generateKeyRingEntry,
  KEY_ID_PATTERN,
  parseIndexKey,
  parseKeyRing,
  PII_KEY_BYTES,
} from "./key-ring.ts";
export type { PiiKeyRing } from "./key-ring.ts";
export {
  isSealedUnder,
  keyIdOf,
  openOptional,
  openPii,
  resealPii,
  sealedPrefix,
  sealOptional,
  sealPii,
} from "./seal.ts";
export { createPiiBox, PII_FIELDS } from "./box.ts";
export type { PiiBox, PiiField } from "./box.ts";
export { emailIndex, normaliseEmail, sameIndex } from "./blind-index.ts";
export { DEV_KEY_FILE, resolvePiiKeys } from "./dev-keys.ts";
export type { PiiKeySources, ResolvedPiiKeys } from "./dev-keys.ts";
export { piiKeyUsage, PLAINTEXT, rotatePii, sealedColumns } from "./rotation.ts";
export type { KeyUsage, RotationOptions, RotationProgress, SealedColumn } from "./rotation.ts";
