// Measures a normal sign-in while unknown-email logins are sprayed at it (issue 12): SPRAY
// concurrent loops for SECONDS, each loop from its own address (the worst case for the
// per-address limit, which stops a single-address spray after 30 attempts). Reports the
// normal login's latency and how many spray attempts were shed (503) or throttled (429).
// Run: npm run measure:spray -w @cartwheel/auth
import { setImmediate as nextTurn } from "node:timers/promises";
import { createDatabase } from "@cartwheel/db";
import { createLogger } from "@cartwheel/observability";
import { testPii } from "@cartwheel/pii/testing";
import { DomainError } from "@cartwheel/contracts";
import { createAuthService } from "../src/index.ts";

const SPRAY = Number(process.env.SPRAY ?? 20);
const SECONDS = Number(process.env.SECONDS ?? 5);
const database = await createDatabase(":memory:");
// Throwaway keys: the in-memory database dies with the run.
const pii = testPii();
const auth = createAuthService({
  database,
  now: () => new Date(),
  logger: createLogger({ level: "error" }),
  secret: crypto.getRandomValues(new Uint8Array(32)),
  ...pii,
});
const account = { email: "measure@example.com", password: "Measured walrus tempo", name: "M" };
await auth.register(account, { ip: "127.0.0.1", userAgent: "measure" });
const { deviceToken } = await auth.login(account, { ip: "127.0.0.1", userAgent: "measure" });

const outcomes = new Map<string, number>();
const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
const deadline = performance.now() + SECONDS * 1000;
const spray = Array.from({ length: SPRAY }, async (_, loop) => {
  for (let i = 0; performance.now() < deadline; i++) {
    const meta = { ip: `10.${loop}.${Math.floor(i / 250)}.${i % 250}`, userAgent: "spray" };
    await auth.login({ email: `ghost${loop}-${i}@example.com`, password: "Some long guess" }, meta).catch((error) => {
      count(error instanceof DomainError ? error.reason : "other");
    });
    await nextTurn(); // a shed attempt fails without I/O; over HTTP every attempt is a new turn anyway
  }
});
const samples: number[] = [];
while (performance.now() < deadline) {
  const started = performance.now();
  const ok = await auth.login({ ...account, deviceToken }, { ip: "127.0.0.1", userAgent: "measure" }).then(
    () => true,
    (error: unknown) => (count(`normal ${error instanceof DomainError ? error.reason : "other"}`), false),
  );
  if (ok) samples.push(performance.now() - started);
  await new Promise((resolve) => setTimeout(resolve, 50));
}
await Promise.all(spray);
samples.sort((a, b) => a - b);
const pick = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)]?.toFixed(1);
console.log(`spray ${SPRAY} loops for ${SECONDS} s; spray outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`);
console.log(`normal login n=${samples.length} p50=${pick(0.5)} ms p90=${pick(0.9)} ms max=${pick(1)} ms`);
await database.close();
