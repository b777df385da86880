import { drive, type LoadOptions, type LoadResult, median } from "./wrk.ts";
import { type Spawned, tail } from "./process.ts";

export interface Subject {
  name: string;
  /** One measured burst (wrk, pgbench, or a peer that measures itself). */
  run(seconds: number): Promise<LoadResult>;
  /** The process whose peak RSS is reported, when there is one. */
  process?: Spawned;
}

export interface Summary {
  name: string;
  rps: number;
  p50Ms?: number;
  p99Ms?: number;
  peakRssBytes?: number;
}

/** A wrk subject against one server. */
export function httpSubject(name: string, server: Spawned, load: Omit<LoadOptions, "url" | "seconds">): Subject {
  return {
    name,
    process: server,
    run: (seconds) =>
      drive({ ...load, url: server.url, seconds }).catch((error: unknown) => {
        // The server's log says which status it answered and why (e.g. a pool timeout's 503).
        throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}\n${lastWarnings(server)}`, {
          cause: error,
        });
      }),
  };
}

/**
 * Warm-up for everyone, then rounds in alternating order (forward, then reversed), so
 * drift in the machine's load hits every subject alike. Medians per subject.
 */
export async function alternatingRounds(
  subjects: readonly Subject[],
  options: { rounds: number; seconds: number; warmupSeconds: number; log: (line: string) => void },
): Promise<Summary[]> {
  if (options.warmupSeconds > 0) for (const subject of subjects) await subject.run(options.warmupSeconds);
  const results = new Map<string, LoadResult[]>(subjects.map((subject) => [subject.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? subjects : subjects.toReversed();
    for (const subject of order) {
      const result = await subject.run(options.seconds);
      results.get(subject.name)!.push(result);
      const p99 = result.p99 === undefined ? "" : ` p99 ${result.p99.toFixed(1)} ms`;
      options.log(`  round ${round + 1}: ${subject.name} ${result.rps.toFixed(0)} req/s${p99}`);
    }
  }
  return subjects.map((subject) => {
    const runs = results.get(subject.name)!;
    return {
      name: subject.name,
      rps: median(runs.map((run) => run.rps)),
      p50Ms: medianOrUndefined(runs.map((run) => run.p50)),
      p99Ms: medianOrUndefined(runs.map((run) => run.p99)),
      peakRssBytes: subject.process?.peakRss(),
    };
  });
}

/** Starts every process, or none: if one fails, the others are stopped before rethrowing. */
export async function startAll(starts: Promise<Spawned>[]): Promise<Spawned[]> {
  const settled = await Promise.allSettled(starts);
  const started = settled.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
  const failed = settled.find((outcome) => outcome.status === "rejected");
  if (failed) {
    await Promise.all(started.map((server) => server.stop()));
    throw failed.reason;
  }
  return started;
}

const medianOrUndefined = (values: readonly (number | undefined)[]): number | undefined =>
  values.every((value) => value !== undefined) ? median(values) : undefined;

/** The server log's last warning or error lines (pino levels 40+), shortened. */
function lastWarnings(server: Spawned): string {
  const lines = tail(server.logFile, 20_000)
    .split("\n")
    .filter((line) => /"level":(?:[4-6]0|"(?:warn|error|fatal)")/.test(line));
  return lines
    .slice(-2)
    .map((line) => line.slice(0, 400))
    .join("\n");
}
