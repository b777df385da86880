import type { RouterOutputs } from "@cartwheel/client";
import {
  DEFAULT_CURRENCY,
  PRODUCT_DESCRIPTION_MAX_LENGTH,
  PRODUCT_NAME_MAX_LENGTH,
  SLUG_MAX_LENGTH,
} from "@cartwheel/contracts/limits";
import { CURRENCY_LENGTH, SLUG_HINT } from "@cartwheel/contracts/patterns";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Field } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { fieldErrorsOf } from "../../lib/errors.ts";
import { centsToInput, parseMoneyInput } from "../../lib/money.ts";
import { useTRPC } from "../../lib/trpc.ts";

type Product = RouterOutputs["catalog"]["byId"];

/** Creates a product, or edits one when `product` is given. */
export function ProductForm({ product, onDone }: { product?: Product; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [slug, setSlug] = useState(product?.slug ?? "");
  const [name, setName] = useState(product?.name ?? "");
  const [description, setDescription] = useState(product?.description ?? "");
  const [currency, setCurrency] = useState(product?.currency ?? DEFAULT_CURRENCY);
  const [price, setPrice] = useState(product ? centsToInput(product.priceCents, product.currency) : "");
  const [stock, setStock] = useState("0");
  const [priceError, setPriceError] = useState<string | null>(null);
  const onSuccess = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.catalog.pathKey() });
    onDone();
  };
  const create = useMutation(trpc.catalog.create.mutationOptions({ onSuccess }));
  const update = useMutation(trpc.catalog.update.mutationOptions({ onSuccess }));
  const mutation = product ? update : create;
  const fieldErrors = fieldErrorsOf(mutation.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const priceCents = parseMoneyInput(price, currency);
    if (priceCents === null) {
      setPriceError("Enter a price such as 19.99.");
      return;
    }
    setPriceError(null);
    const fields = { slug, name, description, priceCents, currency: currency.toUpperCase() };
    if (product) update.mutate({ id: product.id, ...fields });
    else create.mutate({ ...fields, stock: Number(stock) || 0 });
  };

  const idPrefix = product ? `edit-${product.id}` : "new";
  return (
    <form
      className="card product-form"
      onSubmit={submit}
      noValidate
      aria-label={product ? `Edit ${product.name}` : "New product"}
    >
      <FormError error={mutation.error} />
      <Field
        id={`${idPrefix}-name`}
        label="Name"
        value={name}
        maxLength={PRODUCT_NAME_MAX_LENGTH}
        onChange={(e) => setName(e.target.value)}
        required
        errors={fieldErrors.name}
      />
      <Field
        id={`${idPrefix}-slug`}
        label="Slug"
        value={slug}
        maxLength={SLUG_MAX_LENGTH}
        onChange={(e) => setSlug(e.target.value)}
        required
        errors={fieldErrors.slug}
        hint={`Used in the product URL: ${SLUG_HINT}.`}
      />
      <div className="field">
        <label htmlFor={`${idPrefix}-description`}>Description</label>
        <textarea
          id={`${idPrefix}-description`}
          rows={3}
          maxLength={PRODUCT_DESCRIPTION_MAX_LENGTH}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        {fieldErrors.description && <span className="field-error">{fieldErrors.description.join(" ")}</span>}
      </div>
      <div className="row">
        <Field
          id={`${idPrefix}-price`}
          label="Price"
          inputMode="decimal"
          value={price}
          onChange={(e) => setPrice(e.target.value)}
          required
          errors={priceError ? [priceError] : fieldErrors.priceCents}
        />
        <Field
          id={`${idPrefix}-currency`}
          label="Currency"
          value={currency}
          maxLength={CURRENCY_LENGTH}
          onChange={(e) => setCurrency(e.target.value.toUpperCase())}
          errors={fieldErrors.currency}
        />
        {!product && (
          <Field
            id={`${idPrefix}-stock`}
            label="Initial stock"
            type="number"
            min={0}
            value={stock}
            onChange={(e) => setStock(e.target.value)}
            errors={fieldErrors.stock}
          />
        )}
      </div>
      <p className="actions">
        <button type="submit" className="primary" disabled={mutation.isPending}>
          {product ? "Save changes" : "Create product"}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </p>
    </form>
  );
}
