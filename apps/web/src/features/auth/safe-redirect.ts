/** Only same-site paths are followed after sign-in, so a crafted link cannot bounce users off-site. */
export function safeRedirect(target: string | undefined): string {
  if (!target || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) return "/";
  if (target.startsWith("/signin") || target.startsWith("/signup")) return "/";
  return target;
}

export interface AuthSearch {
  redirect?: string;
  reason?: string;
}

export function parseAuthSearch(raw: Record<string, unknown>): AuthSearch {
  const search: AuthSearch = {};
  if (typeof raw.redirect === "string") search.redirect = raw.redirect.slice(0, 500);
  if (typeof raw.reason === "string") search.reason = raw.reason.slice(0, 200);
  return search;
}
