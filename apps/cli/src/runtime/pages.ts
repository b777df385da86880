// Keyset pages as the list procedures answer them: `{ items, nextCursor }`, where a null
// cursor means the last page.

export interface KeysetPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * The first page, or with `all` every page in turn. `more` says whether pages were left
 * unread, so a command can tell the user about `--all`.
 */
export async function collectPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<KeysetPage<T>>,
  all: boolean,
): Promise<{ items: T[]; more: boolean }> {
  let page = await fetchPage(undefined);
  const items = [...page.items];
  if (all) {
    while (page.nextCursor !== null) {
      page = await fetchPage(page.nextCursor);
      items.push(...page.items);
    }
  }
  return { items, more: page.nextCursor !== null };
}
