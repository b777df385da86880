import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { CliError, UsageError } from "./errors.ts";

/** Reads all of stdin and drops one trailing newline (as `echo pw |` adds it). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

export async function ask(question: string): Promise<string> {
  if (!process.stdin.isTTY)
    throw new UsageError(`${question.replace(/:\s*$/, "")} is required (no terminal to ask on)`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await new Promise<string>((resolve) => rl.question(question, resolve));
  } finally {
    rl.close();
  }
}

/** Asks on the terminal without echoing what is typed. */
async function askHidden(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError("no terminal to ask for the password on: use --password-stdin");
  process.stderr.write(question);
  let muted = true;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output: sink, terminal: true });
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      rl.question("", resolve);
      rl.on("SIGINT", () => reject(new CliError("cancelled")));
    });
    muted = false;
    process.stderr.write("\n");
    return answer;
  } finally {
    rl.close();
  }
}

export async function readPassword(fromStdin: boolean, question = "Password: "): Promise<string> {
  const password = fromStdin ? await readStdin() : await askHidden(question);
  if (!password) throw new UsageError("the password is empty");
  return password;
}
