// Probes GET <url>/health one request at a time until its stdin closes, then prints one
// JSON line of latencies. It runs as its own process so the fuzz client's work (building
// requests, reading answers) never delays a probe and inflates what is measured.
const url = `${process.argv[2]}/health`;
const intervalMs = Number(process.argv[3] ?? 20);
const latencies = [];
const failures = [];
const state = { running: true };
process.stdin.on("end", () => (state.running = false));
process.stdin.resume();

while (state.running) {
  const started = performance.now();
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    if (response.status !== 200) failures.push(`status ${response.status}`);
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  }
  latencies.push(performance.now() - started);
  await new Promise((resolve) => setTimeout(resolve, intervalMs));
}

latencies.sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
process.stdout.write(
  `${JSON.stringify({ probes: latencies.length, p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? Number.NaN, failures: failures.slice(0, 20), failureCount: failures.length })}\n`,
);
