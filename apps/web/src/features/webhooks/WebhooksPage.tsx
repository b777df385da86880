import { hasRole } from "@cartwheel/contracts/enums";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { QueryState } from "../../components/QueryState.tsx";
import { useAuth } from "../../lib/auth-context.tsx";
import { useTRPC } from "../../lib/trpc.ts";
import { EndpointForm } from "./EndpointForm.tsx";
import { EndpointRow } from "./EndpointRow.tsx";
import { SecretOnce } from "./SecretOnce.tsx";
import { usePageTitle } from "../../lib/page-title.ts";

/** Webhook endpoints for admins: what the shop POSTs events to, and how those deliveries went. */
export function WebhooksPage() {
  usePageTitle("Webhooks · Staff");
  const auth = useAuth();
  if (!auth.user || !hasRole(auth.user.role, "admin")) {
    return (
      <section className="stack">
        <h2>Webhooks</h2>
        <p>Webhook endpoints are for administrators.</p>
      </section>
    );
  }
  return <Webhooks />;
}

function Webhooks() {
  const trpc = useTRPC();
  const query = useQuery(trpc.webhooks.list.queryOptions());
  const endpoints = query.data ?? [];
  const [creating, setCreating] = useState(false);
  // The one place a new secret is held: component state, dropped on dismiss or navigation.
  const [shown, setShown] = useState<{ url: string; secret: string } | null>(null);
  return (
    <section aria-labelledby="webhooks-title" className="stack">
      <h2 id="webhooks-title">Webhooks</h2>
      <p className="muted">
        Endpoints receive signed POSTs (Standard Webhooks) for the events they subscribe to, retried for about a day.
      </p>
      {/* Keyed by the secret: a second one (another rotate) starts afresh and takes focus again. */}
      {shown && (
        <SecretOnce key={shown.secret} secret={shown.secret} label={shown.url} onDismiss={() => setShown(null)} />
      )}
      {creating ? (
        <EndpointForm onCreated={setShown} onDone={() => setCreating(false)} />
      ) : (
        <p className="actions">
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New endpoint
          </button>
        </p>
      )}
      <QueryState query={query} label="webhook endpoints">
        {() =>
          endpoints.length === 0 ? (
            <p className="status">No webhook endpoints yet.</p>
          ) : (
            <ul className="staff-list" aria-label="Webhook endpoints">
              {endpoints.map((endpoint) => (
                <EndpointRow key={endpoint.id} endpoint={endpoint} onSecret={setShown} />
              ))}
            </ul>
          )
        }
      </QueryState>
    </section>
  );
}
