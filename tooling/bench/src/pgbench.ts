// Runs pgbench for one burst and reads its throughput. pgbench reports an average latency,
// no percentiles, so its rows carry no p50/p99.
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Subject } from "./rounds.ts";

const run = promisify(execFile);

export interface PgbenchOptions {
  name: string;
  databaseUrl: string;
  script: string;
  clients: number;
  workDir: string;
  /** Runs before every burst (e.g. a check that the data is still as the script expects). */
  before?: () => Promise<void>;
}

export function pgbenchSubject(options: PgbenchOptions): Subject {
  const file = join(options.workDir, `pgbench-${options.name.replace(/[^a-z0-9]+/gi, "-")}.sql`);
  writeFileSync(file, options.script);
  return {
    name: options.name,
    async run(seconds) {
      await options.before?.();
      const args = ["-n", "-c", String(options.clients), "-j", "2", "-T", String(seconds), "-M", "prepared"];
      args.push("-f", file, options.databaseUrl);
      const { stdout } = await run("pgbench", args, { maxBuffer: 4 * 1024 * 1024 }).catch((error: unknown) => {
        // pgbench exits non-zero when a client aborts (a failed statement, a \gset without a row).
        const output = error as { stdout?: string; stderr?: string };
        throw new Error(`pgbench ${options.name} failed:\n${output.stderr ?? ""}${output.stdout ?? ""}`.trim(), {
          cause: error,
        });
      });
      const tps = /^tps = ([\d.]+) \(without initial connection time\)/m.exec(stdout);
      const transactions = /^number of transactions actually processed: (\d+)/m.exec(stdout);
      const failed = /^number of failed transactions: (\d+)/m.exec(stdout);
      if (!tps || !transactions) throw new Error(`pgbench printed no tps:\n${stdout}`);
      if (failed && Number(failed[1]) > 0) throw new Error(`pgbench ${options.name}: ${failed[1]} failed transactions`);
      return { rps: Number(tps[1]), requests: Number(transactions[1]) };
    },
  };
}
