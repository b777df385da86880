// The README's rate-limit table is the documentation of rateLimitTable: this test fails
// when a row is added, removed or changed on one side only.
import { readFileSync } from "node:fs";
import { accountMailThrottleRules, defaultThrottleLimits, loginThrottleRules } from "@cartwheel/auth";
import { describe, expect, it } from "vitest";
import { configSchema } from "../src/config.ts";
import { procedureMatcher, rateLimitRules, rateLimitTable } from "../src/rate-limit-rules.ts";

const HEADER = ["Rule", "Applies to", "Key", "Limit", "Window", "Setting"];
const SIGN_IN_HEADER = ["Rule", "Device token", "Key", "Limit", "Window"];
const ACCOUNT_MAIL_HEADER = ["Rule", "Request", "Key", "Limit", "Window"];
const requestOf = {
  password_reset: "`auth.requestPasswordReset`",
  verification_resend: "`auth.resendVerification`",
  registration_repeated: "`auth.register` of an address already in use",
} as const;
const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, "")
    .split("|")
    .map((cell) => cell.trim());

/** The rows of the README table whose header is `header`. */
function readmeRows(header: readonly string[]): string[][] {
  const lines = readFileSync(new URL("../../../README.md", import.meta.url), "utf8").split("\n");
  const start = lines.findIndex((line) => line.startsWith("|") && cells(line).join() === header.join());
  if (start < 0) throw new Error(`README has no table headed ${header.join(" | ")}`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(cells(line));
  }
  return rows;
}

describe("rate-limit rules", () => {
  it("are the rows of the README's rate-limit table, with their default limits", () => {
    const defaults = configSchema.parse({});
    const code = rateLimitTable.map((row) => [
      `\`${row.rule}\``,
      `\`${row.match}\``,
      `\`${row.key}\``,
      String(defaults[row.setting]),
      `${row.windowSeconds} s`,
      `\`${row.setting}\``,
    ]);
    expect(readmeRows(HEADER)).toEqual(code);
  });

  it("and the sign-in throttle's rows are the README's sign-in table, with their default limits", () => {
    const code = loginThrottleRules.map((row) => {
      const { points, durationSeconds } = defaultThrottleLimits[row.limit];
      return [`\`${row.rule}\``, row.device, `\`${row.key}\``, String(points), `${durationSeconds} s`];
    });
    expect(readmeRows(SIGN_IN_HEADER)).toEqual(code);
  });

  it("and the account-mail throttle's rows are the README's account-mail table", () => {
    const code = accountMailThrottleRules.map((row) => [
      `\`${row.rule}\``,
      requestOf[row.kind],
      `\`${row.key}\``,
      String(row.points),
      `${row.durationSeconds} s`,
    ]);
    expect(readmeRows(ACCOUNT_MAIL_HEADER)).toEqual(code);
  });

  it("have one row per rule name", () => {
    const names = rateLimitTable.map((row) => row.rule);
    expect(new Set(names).size).toBe(names.length);
  });

  it("read each limit from its setting", () => {
    const config = configSchema.parse({
      RATE_LIMIT_IP_PER_MIN: "11",
      RATE_LIMIT_USER_PER_MIN: "12",
      RATE_LIMIT_API_KEY_PER_MIN: "13",
    });
    expect(rateLimitRules(config).map(({ rule, limit }) => [rule, limit])).toEqual([
      ["ip", 11],
      ["user", 12],
      ["api-key", 13],
    ]);
  });

  it("match procedure names by glob", () => {
    expect(procedureMatcher("*")("catalog.list")).toBe(true);
    expect(procedureMatcher("catalog.*")("catalog.list")).toBe(true);
    expect(procedureMatcher("catalog.*")("catalogx.list")).toBe(false);
    expect(procedureMatcher("catalog.*")("orders.place")).toBe(false);
    expect(procedureMatcher("auth.login")("auth.login")).toBe(true);
    expect(procedureMatcher("auth.login")("auth.loginx")).toBe(false);
    expect(procedureMatcher("a.b")("aXb")).toBe(false);
  });
});
