export {
  PiiConfigError,
  PiiDuplicateEmailError,
  PiiError,
  PiiFormatError,
  PiiIntegrityError,
  PiiKeyUnknownError,
} from "./errors.ts";
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
export { emailIndex, normaliseEmail } from "./blind-index.ts";
export { openUserRow, sealUserRow, userWithEmail } from "./user-row.ts";
export type { SealedUserRow } from "./user-row.ts";
export { DEV_KEY_FILE, resolvePiiKeys } from "./dev-keys.ts";
export type { PiiKeySources, ResolvedPiiKeys } from "./dev-keys.ts";
export { piiKeyUsage, PLAINTEXT, rotatePii } from "./rotation.ts";
export type { KeyUsage, RotationOptions, RotationProgress } from "./rotation.ts";
export { sealedColumns } from "./sealed-columns.ts";
export type { SealedColumn } from "./sealed-columns.ts";
export { backfillEmailIndex, unindexedUsers } from "./email-index-backfill.ts";
export type { EmailIndexOptions, EmailIndexProgress } from "./email-index-backfill.ts";
