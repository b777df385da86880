import type { Command } from "commander";

/** Loads a command's code, runs it, and turns any failure into one line and an exit code. */
export async function run(load: () => Promise<(command: Command) => Promise<void>>, command: Command): Promise<void> {
  const debug = command.optsWithGlobals<{ debug?: boolean }>().debug === true;
  try {
    const execute = await load();
    await execute(command);
  } catch (error) {
    // Loaded only on failure: describing errors needs the client, which --help does not.
    const [{ CliError, describeError }, { paint }, { resolveUrl }] = await Promise.all([
      import("./errors.ts"),
      import("./output.ts"),
      import("./connect.ts"),
    ]);
    process.stderr.write(`${paint(process.stderr, "red", "error:")} ${describeError(error, resolveUrl())}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
  }
}
