// Unknown emails must cost the same argon2 verification as known ones, or response time
// would tell an attacker which accounts exist. Error parity alone cannot show this, so the
// password module is wrapped to count verifications.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as passwords from "../src/passwords.ts";
import { type Harness, meta, newAccount, openHarness } from "./harness.ts";

vi.mock("../src/passwords.ts", { spy: true });

describe("login timing parity", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness("sqlite-memory");
    vi.mocked(passwords.verifyPassword).mockClear();
  });
  afterEach(async () => {
    await h.database.close();
  });

  it("verifies an unknown email against an argon2id dummy hash, exactly as for a wrong password", async () => {
    const account = newAccount();
    await h.auth.register(account, meta);
    const verify = vi.mocked(passwords.verifyPassword);

    verify.mockClear();
    await expect(h.auth.login({ email: "nobody@example.com", password: account.password }, meta)).rejects.toMatchObject(
      { code: "INVALID_CREDENTIALS" },
    );
    expect(verify).toHaveBeenCalledTimes(1);
    const [dummyHash] = verify.mock.calls[0]!;
    expect(dummyHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    verify.mockClear();
    await expect(h.auth.login({ ...account, password: "Wrong but long" }, meta)).rejects.toMatchObject({
      code: "INVALID_CREDENTIALS",
    });
    expect(verify).toHaveBeenCalledTimes(1);
    expect(verify.mock.calls[0]![0]).not.toBe(dummyHash);
  });
});
