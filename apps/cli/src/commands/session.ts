import { errorCode, isNetworkError } from "@cartwheel/client";
import type { Command } from "commander";
import { anonymousClient, connect, resolveUrl } from "../runtime/connect.ts";
import { credentialsPath, deleteCredentials, readCredentials, writeCredentials } from "../runtime/credentials.ts";
import { describeError } from "../runtime/errors.ts";
import { note, writeJson, writeLine } from "../runtime/output.ts";
import { ask, readPassword } from "../runtime/prompt.ts";

interface LoginOptions {
  url?: string;
  email?: string;
  passwordStdin?: boolean;
}

export async function login(command: Command): Promise<void> {
  const options = command.opts<LoginOptions>();
  const url = resolveUrl(options.url);
  const email = options.email ?? (await ask("Email: "));
  const password = await readPassword(options.passwordStdin === true);
  const result = await anonymousClient(url).auth.login.mutate({ email, password, transport: "token" });
  writeCredentials({
    url,
    email: result.user.email,
    role: result.user.role,
    tokens: {
      accessToken: result.accessToken,
      accessTokenExpiresAt: result.accessTokenExpiresAt,
      ...(result.refreshToken ? { refreshToken: result.refreshToken } : {}),
    },
  });
  note(`Logged in to ${url} as ${result.user.email} (${result.user.role}).`);
}

export async function logout(): Promise<void> {
  const stored = readCredentials();
  if (!stored) {
    note("Not logged in.");
    return;
  }
  const { url, client } = connect();
  try {
    // Revoke the session on the server too, so the stored tokens are worthless even if copied.
    await client.auth.logout.mutate();
  } catch (error) {
    note(`${logoutFailure(error, url)}; removing the local credentials anyway.`);
  }
  deleteCredentials();
  note(`Logged out (removed ${credentialsPath()}).`);
}

/** Why the server-side session may still be valid, told as it is: unreachable, or refused and why. */
function logoutFailure(error: unknown, url: string): string {
  if (isNetworkError(error)) return `Could not reach the server to end the session: ${describeError(error, url)}`;
  if (errorCode(error) === "UNAUTHORIZED") return "The server no longer accepts this session, so it has already ended";
  return `The server did not end the session: ${describeError(error, url)}`;
}

export async function whoami(command: Command): Promise<void> {
  const { url, client } = connect();
  const me = await client.auth.whoami.query();
  const json = command.opts<{ json?: boolean }>().json;
  if (me.kind === "apiKey") {
    if (json) return writeJson({ url, kind: me.kind, ...me.apiKey });
    return writeLine(`API key "${me.apiKey.name}" (${me.apiKey.role}) at ${url}`);
  }
  if (json) return writeJson({ url, ...me.user });
  writeLine(`${me.user.email} (${me.user.role}) at ${url}`);
}
