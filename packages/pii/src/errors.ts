// Every failure this package reports. Messages name key ids, entry numbers and purposes, never
// key bytes or plaintext, because they end up in logs and error trackers.

/** The base class, so a caller can catch everything this package throws in one place. */
export class PiiError extends Error {
  override name = "PiiError";
}

/** PII_KEYS, PII_INDEX_KEY or the development key file is missing or malformed. */
export class PiiConfigError extends PiiError {
  override name = "PiiConfigError";
}

/** The value is not a pii1 sealed value (for example plaintext written before sealing began). */
export class PiiFormatError extends PiiError {
  override name = "PiiFormatError";
  constructor() {
    // The value itself stays out of the message: it may be plaintext.
    super("not a pii1 sealed value");
  }
}

/** The value was sealed under a key the ring no longer (or never) held. */
export class PiiKeyUnknownError extends PiiError {
  override name = "PiiKeyUnknownError";
  readonly keyId: string;
  constructor(keyId: string) {
    super(`PII value sealed under key "${keyId}", which PII_KEYS lacks: add that key back to read it`);
    this.keyId = keyId;
  }
}

/** GCM rejected the value: its bytes changed, or it was sealed for another purpose. */
export class PiiIntegrityError extends PiiError {
  override name = "PiiIntegrityError";
  readonly purpose: string;
  constructor(purpose: string) {
    super(`PII value for "${purpose}" does not authenticate: tampered, or sealed for another field`);
    this.purpose = purpose;
  }
}

/** Accounts whose addresses are equal once normalised, so the unique blind index holds only one of them. */
export class PiiDuplicateEmailError extends PiiError {
  override name = "PiiDuplicateEmailError";
  readonly userIds: readonly string[];
  constructor(userIds: readonly string[]) {
    // Ids only: the addresses are what the message must not hold.
    super(
      `${userIds.length} account(s) share an e-mail address with another and got no e-mail index ` +
        `(${userIds.join(", ")}): merge or change them, then run again`,
    );
    this.userIds = userIds;
  }
}
