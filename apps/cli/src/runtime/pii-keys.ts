// The keys personal data is sealed under, found as the server finds them: PII_KEYS and
// PII_INDEX_KEY, else (outside production) the development key file beside the SQLite file,
// or in ./data for PostgreSQL. Rows written or resealed under other keys would not open on the
// server, nor be found at sign-in.
import { devSecretsFolder } from "@cartwheel/db";
import { createPiiBox, type PiiBox, type PiiKeyRing, resolvePiiKeys } from "@cartwheel/pii";
import type { KeyObject } from "node:crypto";

export interface CliPiiKeys {
  ring: PiiKeyRing;
  pii: PiiBox;
  emailIndexKey: KeyObject;
}

export function piiKeysFor(databaseUrl: string): CliPiiKeys {
  const { ring, indexKey } = resolvePiiKeys({
    piiKeys: process.env.PII_KEYS,
    piiIndexKey: process.env.PII_INDEX_KEY,
    dataFolder: devSecretsFolder(databaseUrl),
    production: process.env.NODE_ENV === "production",
  });
  return { ring, pii: createPiiBox(ring), emailIndexKey: indexKey };
}
