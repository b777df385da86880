// Links in mail point at the web app (PUBLIC_URL). A token rides in the fragment (`#token=`):
// browsers never send the fragment to a server, so it stays out of access logs, proxies and
// the Referer of anything the page loads.

export function linkTo(publicUrl: string, path: string, token?: string): string {
  const url = new URL(path, publicUrl.endsWith("/") ? publicUrl : `${publicUrl}/`);
  if (token !== undefined) url.hash = `token=${encodeURIComponent(token)}`;
  return url.toString();
}

/** The token from a `#token=…` fragment (what the web pages read from location.hash). */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  return token && token.length > 0 ? token : null;
}
