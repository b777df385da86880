import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";

interface FieldLayout {
  label: string;
  /** Added to the wrapper's `field` class (e.g. `narrow`). */
  layout?: "narrow" | "grow";
  /** Server or client messages for this field, shown under it and linked via aria-describedby. */
  errors?: readonly string[] | undefined;
  hint?: ReactNode;
}

type FieldProps = FieldLayout & InputHTMLAttributes<HTMLInputElement>;
type SelectFieldProps = FieldLayout & SelectHTMLAttributes<HTMLSelectElement>;

/** The control's id and the attributes that tie its hint and errors to it. */
function useControlAttributes(id: string | undefined, hint: ReactNode, errors: readonly string[] | undefined) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const hasErrors = errors !== undefined && errors.length > 0;
  const describedBy = [hint ? `${inputId}-hint` : null, hasErrors ? `${inputId}-error` : null]
    .filter(Boolean)
    .join(" ");
  return {
    id: inputId,
    "aria-invalid": hasErrors || undefined,
    "aria-describedby": describedBy || undefined,
  };
}

/** The wrapper, label, hint and errors every field has, around its control. */
function FieldFrame({
  label,
  errors,
  hint,
  layout,
  controlId,
  children,
}: FieldLayout & { controlId: string; children: ReactNode }) {
  return (
    <div className={layout ? `field ${layout}` : "field"}>
      <label htmlFor={controlId}>{label}</label>
      {children}
      {hint && (
        <small id={`${controlId}-hint`} className="hint">
          {hint}
        </small>
      )}
      {errors !== undefined && errors.length > 0 && (
        <span id={`${controlId}-error`} className="field-error">
          {errors.join(" ")}
        </span>
      )}
    </div>
  );
}

export function Field({ label, errors, hint, id, layout, ...input }: FieldProps) {
  const control = useControlAttributes(id, hint, errors);
  return (
    <FieldFrame label={label} errors={errors} hint={hint} layout={layout} controlId={control.id}>
      <input {...control} {...input} />
    </FieldFrame>
  );
}

export function SelectField({ label, errors, hint, id, layout, children, ...select }: SelectFieldProps) {
  const control = useControlAttributes(id, hint, errors);
  return (
    <FieldFrame label={label} errors={errors} hint={hint} layout={layout} controlId={control.id}>
      <select {...control} {...select}>
        {children}
      </select>
    </FieldFrame>
  );
}
