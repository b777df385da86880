import { useId, type InputHTMLAttributes, type ReactNode } from "react";

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  /** Added to the wrapper's `field` class (e.g. `narrow`). */
  layout?: "narrow" | "grow";
  /** Server or client messages for this field, shown under it and linked via aria-describedby. */
  errors?: readonly string[] | undefined;
  hint?: ReactNode;
}

export function Field({ label, errors, hint, id, layout, ...input }: FieldProps) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const errorId = `${inputId}-error`;
  const hintId = `${inputId}-hint`;
  const hasErrors = errors !== undefined && errors.length > 0;
  const describedBy = [hint ? hintId : null, hasErrors ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={layout ? `field ${layout}` : "field"}>
      <label htmlFor={inputId}>{label}</label>
      <input id={inputId} aria-invalid={hasErrors || undefined} aria-describedby={describedBy} {...input} />
      {hint && (
        <small id={hintId} className="hint">
          {hint}
        </small>
      )}
      {hasErrors && (
        <span id={errorId} className="field-error">
          {errors.join(" ")}
        </span>
      )}
    </div>
  );
}
