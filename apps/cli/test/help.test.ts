// Every command documents itself with an example; help and version exit 0, and no colour
// reaches a pipe.
import { describe, expect, it } from "vitest";
import { cartwheel, ensureBuilt } from "./harness.ts";

const commands = [
  ["login"],
  ["logout"],
  ["whoami"],
  ["products", "list"],
  ["products", "show"],
  ["products", "create"],
  ["products", "update"],
  ["products", "archive"],
  ["products", "import"],
  ["products", "export"],
  ["stock", "adjust"],
  ["orders", "list"],
  ["orders", "show"],
  ["orders", "set-status"],
  ["users", "list"],
  ["users", "set-role"],
  ["users", "disable"],
  ["users", "enable"],
  ["users", "create"],
  ["api-keys", "create"],
  ["api-keys", "list"],
  ["api-keys", "revoke"],
  ["jobs", "list"],
  ["jobs", "show"],
  ["jobs", "retry"],
  ["db", "migrate"],
  ["db", "seed"],
];

describe("cartwheel --help", () => {
  ensureBuilt();

  it("lists the command groups and an example", async () => {
    const result = await cartwheel(["--help"]);
    expect(result.code).toBe(0);
    for (const group of ["login", "products", "stock", "orders", "users", "api-keys", "jobs", "db"]) {
      expect(result.stdout).toContain(group);
    }
    expect(result.stdout).toContain("Example:");
    expect(result.stdout).not.toContain("\u001b[");
  });

  it.each(commands)("documents %s %s with an example", async (...words) => {
    const result = await cartwheel([...words.filter(Boolean), "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Example:\n {2}\$ cartwheel /);
  });

  it("treats an unknown option as a usage error (exit 2)", async () => {
    const result = await cartwheel(["products", "list", "--nope"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--nope'");
  });
});
