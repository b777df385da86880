import { useEffect } from "react";

const APP_NAME = "Cartwheel";

/**
 * The tab's title while a page is shown, "<page> · Cartwheel": screen readers announce it
 * on navigation, and a user with several tabs open tells them apart by it.
 */
export function usePageTitle(page: string): void {
  useEffect(() => {
    document.title = `${page} · ${APP_NAME}`;
  }, [page]);
}
