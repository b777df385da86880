import type { CartwheelClient, RouterOutputs } from "@cartwheel/client";
import type { Command } from "commander";
import { PAGE_SIZE_MAX, PASSWORD_RESET_TTL_MINUTES, roles } from "@cartwheel/contracts";
import { isUuid, parseChoice, parsePageSize } from "../runtime/args.ts";
import { connect } from "../runtime/connect.ts";
import { CliError, UsageError } from "../runtime/errors.ts";
import { ask } from "../runtime/prompt.ts";
import { formatDate, note, writeJson, writeTable } from "../runtime/output.ts";
import { collectPages } from "../runtime/pages.ts";

type User = RouterOutputs["users"]["list"]["items"][number];

export async function list(command: Command): Promise<void> {
  const options = command.opts<{ q?: string; limit?: string; all?: boolean; json?: boolean }>();
  const limit = parsePageSize(options.limit, 50);
  const { client } = connect();
  const { items, more } = await collectPages(
    (cursor) =>
      client.users.list.query({
        limit: options.all ? PAGE_SIZE_MAX : limit,
        ...(options.q && { q: options.q }),
        ...(cursor && { cursor }),
      }),
    Boolean(options.all),
  );
  if (options.json) return writeJson(items);
  writeTable(
    items,
    [
      { header: "ID", value: (u) => u.id },
      { header: "EMAIL", value: (u) => u.email },
      { header: "NAME", value: (u) => u.name },
      { header: "ROLE", value: (u) => u.role },
      { header: "VERIFIED", value: (u) => (u.emailVerifiedAt ? "yes" : "no") },
      { header: "DISABLED", value: (u) => (u.disabledAt ? formatDate(u.disabledAt) : "") },
      { header: "CREATED", value: (u) => formatDate(u.createdAt) },
    ],
    "No users.",
  );
  if (more) note(`Showing ${items.length}; use --all for every user.`);
}

/** Accepts a user id or an email address. */
async function findUserId(client: CartwheelClient, idOrEmail: string): Promise<string> {
  if (isUuid(idOrEmail)) return idOrEmail;
  const email = idOrEmail.trim().toLowerCase();
  const page = await client.users.list.query({ q: email, limit: PAGE_SIZE_MAX });
  const user = page.items.find((candidate) => candidate.email === email);
  if (!user) throw new CliError(`no user with email ${email}`);
  return user.id;
}

function done(command: Command, user: User, message: string) {
  if (command.opts<{ json?: boolean }>().json) return writeJson(user);
  note(message);
}

export async function setRole(command: Command): Promise<void> {
  const [who, roleText] = command.processedArgs as [string, string];
  const role = parseChoice(roleText, "ROLE", roles);
  const { client } = connect();
  const user = await client.users.setRole.mutate({ userId: await findUserId(client, who), role });
  done(command, user, `${user.email} is now ${user.role}.`);
}

export async function disable(command: Command): Promise<void> {
  const [who] = command.processedArgs as [string];
  const { client } = connect();
  const user = await client.users.disable.mutate({ userId: await findUserId(client, who) });
  done(command, user, `${user.email} is disabled and signed out everywhere.`);
}

/**
 * Erases a customer's personal data for good (their orders stay, as an erased customer's).
 * Asks for "erase" to be typed on the terminal first; without one, only `--yes` goes ahead.
 */
export async function erase(command: Command): Promise<void> {
  const [who] = command.processedArgs as [string];
  const options = command.opts<{ yes?: boolean; json?: boolean }>();
  const { client } = connect();
  const userId = await findUserId(client, who);
  if (!options.yes) {
    if (!process.stdin.isTTY) throw new UsageError("erasing cannot be undone: confirm on a terminal, or pass --yes");
    const answer = await ask(
      `Erase ${who}? Their name, e-mail, addresses and session details are removed for good; their orders stay. Type "erase" to confirm: `,
    );
    if (answer.trim() !== "erase") throw new CliError(`${who} was not erased.`);
  }
  await client.users.erase.mutate({ userId });
  if (options.json) return writeJson({ id: userId, erased: true });
  note(`${who} is erased and signed out everywhere; their orders now show an erased customer.`);
}

export async function enable(command: Command): Promise<void> {
  const [who] = command.processedArgs as [string];
  const { client } = connect();
  const user = await client.users.enable.mutate({ userId: await findUserId(client, who) });
  done(command, user, `${user.email} is enabled.`);
}

export async function resetPassword(command: Command): Promise<void> {
  const [who] = command.processedArgs as [string];
  const { client } = connect();
  const userId = await findUserId(client, who);
  const sent = await client.users.sendPasswordReset.mutate({ userId });
  if (command.opts<{ json?: boolean }>().json) return writeJson({ userId, email: sent.email });
  note(
    `A password reset link is on its way to ${sent.email}; it works once, for ${PASSWORD_RESET_TTL_MINUTES} minutes.`,
  );
}
