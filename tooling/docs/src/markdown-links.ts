/** Markdown without its fenced code blocks and inline code, where link syntax is only text. */
function proseOf(markdown: string): string {
  return markdown.replaceAll(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").replaceAll(/`[^`\n]*`/g, "");
}

/** The targets of inline links, images and reference definitions, in order. */
export function linkTargets(markdown: string): string[] {
  const prose = proseOf(markdown);
  const inline = [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)].map(
    (m) => m[1]!,
  );
  const references = [...prose.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]!);
  return [...inline, ...references];
}

/** The repo-relative path a link points at, or null for URLs, mail and same-page anchors. */
export function localTarget(target: string): string | null {
  if (/^[a-z][a-z\d+.-]*:/i.test(target) || target.startsWith("#")) return null;
  const path = decodeURIComponent(target.replace(/[#?].*$/, ""));
  return path === "" ? null : path;
}

/** Paths of markdown documents named in inline code, e.g. `packages/db/README.md`. */
export function namedDocuments(markdown: string): string[] {
  const withoutFences = markdown.replaceAll(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
  return [...withoutFences.matchAll(/`([\w./-]+\.md)`/g)].map((m) => m[1]!);
}
