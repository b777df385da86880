// Reading what the server's mail jobs sent: the token of a link in a received message.

/** The token of the first link to `path` in a mail's text part. */
export function tokenInLink(text: string | undefined, path: string): string {
  const match = new RegExp(`https://shop\\.test/${path}#token=(\\S+)`).exec(text ?? "");
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  return decodeURIComponent(match[1]!);
}
