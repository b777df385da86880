import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { usePageTitle } from "../lib/page-title.ts";

/** What a page shows for something that is not there: no Retry, since retrying cannot help. */
export function NotFoundPage({ title, children }: { title: string; children?: ReactNode }) {
  usePageTitle(title);
  return (
    <section className="not-found">
      <h1>{title}</h1>
      {children}
      <p>
        <Link to="/">Back to the catalog</Link>
      </p>
    </section>
  );
}
