import type { RouterOutputs } from "@cartwheel/client";
import { createWebhookEndpointSchema, webhookEventTypes, type WebhookEventType } from "@cartwheel/contracts";
import { WEBHOOK_DESCRIPTION_MAX_LENGTH, WEBHOOK_URL_MAX_LENGTH } from "@cartwheel/contracts/limits";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Field } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { fieldErrorsOf } from "../../lib/errors.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { issuesByField } from "../../lib/validation.ts";

export type Endpoint = RouterOutputs["webhooks"]["list"][number];

/**
 * Creates an endpoint, or edits one's URL, description and event types when `endpoint` is
 * given. A create hands the new secret to `onCreated` and nowhere else: the form closes on
 * success, and gcTime 0 then drops the mutation cache's copy at once.
 */
export function EndpointForm({
  endpoint,
  onCreated,
  onDone,
}: {
  endpoint?: Endpoint;
  onCreated?: (created: { url: string; secret: string }) => void;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [url, setUrl] = useState(endpoint?.url ?? "");
  const [description, setDescription] = useState(endpoint?.description ?? "");
  const [eventTypes, setEventTypes] = useState<WebhookEventType[]>(endpoint?.eventTypes ?? []);
  const [clientErrors, setClientErrors] = useState<Record<string, string[]>>({});
  const refreshList = () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.list.queryKey() });
  const create = useMutation(
    trpc.webhooks.create.mutationOptions({
      gcTime: 0,
      onSuccess: async ({ url: createdUrl, secret }) => {
        onCreated?.({ url: createdUrl, secret });
        await refreshList();
        onDone();
      },
    }),
  );
  const update = useMutation(
    trpc.webhooks.update.mutationOptions({
      onSuccess: async () => {
        await refreshList();
        onDone();
      },
    }),
  );
  const mutation = endpoint ? update : create;
  const fieldErrors = { ...fieldErrorsOf(mutation.error), ...clientErrors };

  const toggle = (type: WebhookEventType, checked: boolean) =>
    setEventTypes((types) => (checked ? [...types, type] : types.filter((t) => t !== type)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = createWebhookEndpointSchema.safeParse({ url, description, eventTypes });
    if (!parsed.success) {
      setClientErrors(issuesByField(parsed.error));
      return;
    }
    setClientErrors({});
    if (endpoint) update.mutate({ id: endpoint.id, ...parsed.data });
    else create.mutate(parsed.data);
  };

  const idPrefix = endpoint ? `edit-${endpoint.id}` : "new-endpoint";
  const eventTypesErrorId = `${idPrefix}-event-types-error`;
  return (
    <form
      className="card product-form"
      onSubmit={submit}
      noValidate
      aria-label={endpoint ? `Edit ${endpoint.url}` : "New webhook endpoint"}
    >
      <FormError error={mutation.error} />
      <Field
        id={`${idPrefix}-url`}
        label="URL"
        type="url"
        value={url}
        maxLength={WEBHOOK_URL_MAX_LENGTH}
        onChange={(e) => setUrl(e.target.value)}
        required
        errors={fieldErrors.url}
        hint="Where deliveries are POSTed. It must be reachable from the shop and, in production, use https."
      />
      <Field
        id={`${idPrefix}-description`}
        label="Description"
        value={description}
        maxLength={WEBHOOK_DESCRIPTION_MAX_LENGTH}
        onChange={(e) => setDescription(e.target.value)}
        errors={fieldErrors.description}
      />
      <fieldset
        className="field"
        aria-invalid={fieldErrors.eventTypes ? true : undefined}
        aria-describedby={fieldErrors.eventTypes ? eventTypesErrorId : undefined}
      >
        <legend>Event types</legend>
        {webhookEventTypes.map((type) => (
          <label key={type} className="checkbox">
            <input
              type="checkbox"
              checked={eventTypes.includes(type)}
              onChange={(e) => toggle(type, e.target.checked)}
            />{" "}
            {type}
          </label>
        ))}
        {fieldErrors.eventTypes && (
          <span id={eventTypesErrorId} className="field-error">
            {fieldErrors.eventTypes.join(" ")}
          </span>
        )}
      </fieldset>
      <p className="actions">
        <button type="submit" className="primary" disabled={mutation.isPending}>
          {endpoint ? "Save changes" : "Create endpoint"}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </p>
    </form>
  );
}
