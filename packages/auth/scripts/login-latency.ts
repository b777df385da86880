// Measures auth.login latency against the service (no HTTP), on an in-memory SQLite:
// 50 sequential successful logins, 50 with a wrong password and 50 with an unknown email
// (interleaved), to show error parity in time. Run: npm run measure:login -w @cartwheel/auth
import { createDatabase } from "@cartwheel/db";
import { createLogger } from "@cartwheel/observability";
import { testPii } from "@cartwheel/pii/testing";
import { argon2Params, createAuthService, createLoginThrottle } from "../src/index.ts";

const RUNS = Number(process.env.RUNS ?? 50);
const database = await createDatabase(":memory:");
// High limits: this measures hashing, not the throttle.
const throttle = createLoginThrottle({
  limits: {
    perAddress: { points: 1e6, durationSeconds: 60 },
    perAccountIp: { points: 1e6, durationSeconds: 60 },
    perAccount: { points: 1e6, durationSeconds: 60 },
  },
});
// Throwaway keys: the in-memory database dies with the run.
const pii = testPii();
const auth = createAuthService({
  database,
  now: () => new Date(),
  logger: createLogger({ level: "error" }),
  secret: crypto.getRandomValues(new Uint8Array(32)),
  ...pii,
  throttle,
});
const meta = { ip: "127.0.0.1", userAgent: "measure" };
const account = { email: "measure@example.com", password: "Measured walrus tempo", name: "M" };
await auth.register(account, meta);

const cases: [string, () => Promise<unknown>][] = [
  ["login ok", () => auth.login(account, meta)],
  ["wrong password", () => auth.login({ ...account, password: "Wrong but long" }, meta)],
  ["unknown email", () => auth.login({ ...account, email: "ghost@example.com" }, meta)],
];
const samples = new Map<string, number[]>(cases.map(([label]) => [label, []]));
for (const [, attempt] of cases) await attempt().catch(() => {}); // warm-up
// Round-robin, so load from other processes hits every case alike.
for (let i = 0; i < RUNS; i++) {
  for (const [label, attempt] of cases) {
    const start = performance.now();
    await attempt().catch(() => {});
    samples.get(label)!.push(performance.now() - start);
  }
}

console.log(`argon2id m=${argon2Params.memoryCost} KiB t=${argon2Params.timeCost} p=${argon2Params.parallelism}`);
for (const [label, values] of samples) {
  values.sort((a, b) => a - b);
  const pick = (q: number) => values[Math.min(values.length - 1, Math.ceil(q * values.length) - 1)]!.toFixed(1);
  console.log(`${label.padEnd(16)} n=${RUNS} p50=${pick(0.5)} ms p99=${pick(0.99)} ms`);
}
await database.close();
