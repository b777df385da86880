/**
 * The token of a mailed link, from its fragment (`#token=…`): browsers never send the
 * fragment to a server, so the token stays out of access logs and Referer headers.
 */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  return token ? token : null;
}
