// The `cartwheel` command: builds commander commands from command-table.ts and runs one.
// A command's code is loaded on first use (dynamic import), so `cartwheel --help` starts
// without the client, the CSV parser or the database drivers.
import { Command, CommanderError } from "commander";
import { type CommandSpec, groups, topLevelCommands } from "./command-table.ts";
import { loadDotEnv } from "./runtime/dot-env.ts";
import { run } from "./runtime/run.ts";

// `cartwheel products list | head` closes the pipe early; that is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

loadDotEnv();

const USAGE_HINT = "(add --help for usage)";

const program = new Command("cartwheel")
  .description("Admin CLI for the Cartwheel API")
  .version("0.1.0")
  .option("--debug", "print stack traces on errors")
  .showHelpAfterError(USAGE_HINT)
  .exitOverride()
  .addHelpText(
    "after",
    `
Environment (also read from .env in the working directory; the environment wins):
  CARTWHEEL_URL      server URL (default: the one you logged in to, else http://127.0.0.1:3000)
  CARTWHEEL_API_KEY  authenticate with an API key instead of the stored login
  CARTWHEEL_TOKEN    authenticate with an access token instead of the stored login
  NO_COLOR           disable colour

Example:
  $ cartwheel login --url http://localhost:3000 --email admin@example.com
  $ cartwheel products list --q mug`,
  );

const examples = (lines: readonly string[]) => `\nExample:\n${lines.map((line) => `  $ ${line}`).join("\n")}`;

function addCommand(parent: Command, spec: CommandSpec): void {
  const command = parent.command(spec.usage).description(spec.description);
  for (const option of spec.options ?? []) command.addOption(option);
  if (spec.json) command.option("--json", "print JSON instead of a table");
  const details = spec.details ? `\n${spec.details}` : "";
  command.addHelpText("after", `${details}${examples(spec.examples)}`);
  command.action((...args: unknown[]) => run(spec.action, args.at(-1) as Command));
}

for (const spec of topLevelCommands) addCommand(program, spec);
for (const group of groups) {
  const parent = program.command(group.name).description(group.description);
  parent.exitOverride().showHelpAfterError(USAGE_HINT);
  for (const spec of group.commands) addCommand(parent, spec);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and --version "fail" with exit code 0; everything else commander rejects is usage.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    throw error;
  }
}
