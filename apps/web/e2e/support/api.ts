import { findUserIdByEmail } from "@cartwheel/auth";
import { createDatabase } from "@cartwheel/db";
import { piiOfEnv } from "@cartwheel/pii/testing";
import { eq } from "drizzle-orm";
import { E2E_PII_ENV } from "./server.ts";

/**
 * Direct API and database access for test setup that has no UI (making a staff member,
 * changing stock behind a customer's back). The scenarios themselves go through the browser.
 */
export async function callProcedure<T>(
  baseUrl: string,
  path: string,
  input: unknown,
  accessToken?: string,
): Promise<T> {
  const response = await fetch(`${baseUrl}/trpc/${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin: baseUrl,
      ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
    },
    body: JSON.stringify(input ?? {}),
  });
  const body = (await response.json()) as { result?: { data: T }; error?: { message: string } };
  if (!response.ok || !body.result) throw new Error(`${path} failed (${response.status}): ${body.error?.message}`);
  return body.result.data;
}

/** GET for query procedures (tRPC answers 405 to a POST). */
export async function queryProcedure<T>(
  baseUrl: string,
  path: string,
  input: unknown,
  accessToken: string,
): Promise<T> {
  const query = new URLSearchParams({ input: JSON.stringify(input) });
  const response = await fetch(`${baseUrl}/trpc/${path}?${query}`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  const body = (await response.json()) as { result?: { data: T }; error?: { message: string } };
  if (!response.ok || !body.result) throw new Error(`${path} failed (${response.status}): ${body.error?.message}`);
  return body.result.data;
}

export interface Credentials {
  email: string;
  password: string;
  name: string;
}

let counter = 0;
/** A unique, valid account (argon2 and the common-password list are happy with it). */
export function newCredentials(label: string): Credentials {
  counter += 1;
  const id = `${Date.now().toString(36)}${counter}`;
  return { email: `${label}-${id}@example.com`, password: `Wheel-${id}-Tangerine!`, name: `${label} ${counter}` };
}

/** Registers an account and gives it the staff (or admin) role straight in the database. */
export async function createStaff(
  baseUrl: string,
  databaseUrl: string,
  credentials: Credentials,
  role: "staff" | "admin" = "staff",
): Promise<void> {
  await callProcedure(baseUrl, "auth.register", credentials);
  const database = await createDatabase(databaseUrl);
  try {
    const { users } = database.schema;
    // E-mail is sealed; the account is found through its blind index, under the servers' keys.
    const userId = await findUserIdByEmail(database, piiOfEnv(E2E_PII_ENV).emailIndexKey, credentials.email);
    if (!userId) throw new Error(`no account for ${credentials.email}`);
    await database.db.update(users).set({ role }).where(eq(users.id, userId));
  } finally {
    await database.close();
  }
}

/** An access token for API calls (token transport: nothing is set in a browser). */
export async function accessTokenFor(baseUrl: string, { email, password }: Credentials): Promise<string> {
  const result = await callProcedure<{ accessToken: string }>(baseUrl, "auth.login", {
    email,
    password,
    transport: "token",
  });
  return result.accessToken;
}
