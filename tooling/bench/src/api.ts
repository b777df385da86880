import { randomBytes } from "node:crypto";

/** POST one tRPC mutation without a client library (no transformer: plain JSON). */
export async function mutate<T>(
  url: string,
  procedure: string,
  input: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await fetch(`${url}/trpc/${procedure}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${procedure} answered ${response.status}: ${text}`);
  return (JSON.parse(text) as { result: { data: T } }).result.data;
}

export interface Customer {
  email: string;
  password: string;
  userId: string;
  accessToken: string;
  refreshToken: string;
}

/** A new customer account, registered and signed in through the API like any shopper. */
export async function registerCustomer(url: string, headers: Record<string, string> = {}): Promise<Customer> {
  const email = `bench-${randomBytes(6).toString("hex")}@example.com`;
  const password = `bench-${randomBytes(12).toString("base64url")}`;
  // Sign-up signs nobody in (it answers alike for taken addresses), so sign in next.
  await mutate(url, "auth.register", { email, password, name: "Bench Customer", transport: "token" }, headers);
  return signIn(url, email, password, headers);
}

/** Signs an existing account in with the token transport (again after a role change, say). */
export async function signIn(
  url: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<Customer> {
  const signedIn = await mutate<{ user: { id: string }; accessToken: string; refreshToken: string }>(
    url,
    "auth.login",
    { email, password, transport: "token" },
    headers,
  );
  const { accessToken, refreshToken } = signedIn;
  return { email, password, userId: signedIn.user.id, accessToken, refreshToken };
}
