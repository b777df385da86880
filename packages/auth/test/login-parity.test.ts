// Unknown emails must cost the same argon2 verification as known ones, or response time
// would tell an attacker which accounts exist. Error parity alone cannot show this, so the
// service gets a real hasher wrapped to record what it verifies against.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPasswordHasher, type PasswordHasher } from "../src/index.ts";
import { type Harness, meta, newAccount, openHarness } from "./harness.ts";

describe("login timing parity", () => {
  let h: Harness;
  let verified: string[];
  beforeEach(async () => {
    const inner = createPasswordHasher();
    verified = [];
    const recording: PasswordHasher = {
      ...inner,
      verify: (passwordHash, password, options) => {
        verified.push(passwordHash);
        return inner.verify(passwordHash, password, options);
      },
    };
    h = await openHarness("sqlite-memory", { passwordHasher: recording });
  });
  afterEach(async () => {
    await h.database.close();
  });

  it("verifies an unknown email against an argon2id dummy hash, exactly as for a wrong password", async () => {
    const account = newAccount();
    await h.auth.register(account, meta);

    await expect(h.auth.login({ email: "nobody@example.com", password: account.password }, meta)).rejects.toMatchObject(
      { reason: "invalid_credentials" },
    );
    expect(verified).toHaveLength(1);
    const [dummyHash] = verified;
    expect(dummyHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    verified.length = 0;
    await expect(h.auth.login({ ...account, password: "Wrong but long" }, meta)).rejects.toMatchObject({
      reason: "invalid_credentials",
    });
    expect(verified).toHaveLength(1);
    expect(verified[0]).not.toBe(dummyHash);
  });
});
