interface NextPageQuery {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/**
 * The "Load more" button of every cursor-paged list. It needs no error state of its own: a
 * failed next page sets the query's isError, so the surrounding QueryState shows the error
 * and its Retry.
 */
export function LoadMore({ query }: { query: NextPageQuery }) {
  if (!query.hasNextPage) return null;
  return (
    <div className="load-more">
      <button type="button" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
        {query.isFetchingNextPage ? "Loading more…" : "Load more"}
      </button>
    </div>
  );
}
