import { useState, type FormEvent } from "react";
import { Field } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { fieldErrorsOf } from "../../lib/errors.ts";

export interface AuthField {
  name: string;
  label: string;
  type: "text" | "email" | "password";
  autoComplete: string;
  hint?: string;
}

interface AuthFormProps {
  title: string;
  fields: readonly AuthField[];
  submitLabel: string;
  /** Rejects with the server's error; its field errors are shown next to the fields. */
  onSubmit: (values: Record<string, string>) => Promise<void>;
}

export function AuthForm({ title, fields, submitLabel, onSubmit }: AuthFormProps) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fieldErrors = fieldErrorsOf(error);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      await onSubmit(values);
    } catch (caught) {
      setError(caught);
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="auth-form card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="auth-title">
      <h1 id="auth-title">{title}</h1>
      <FormError error={error} />
      {fields.map((field) => (
        <Field
          key={field.name}
          name={field.name}
          label={field.label}
          type={field.type}
          autoComplete={field.autoComplete}
          hint={field.hint}
          required
          value={values[field.name] ?? ""}
          onChange={(e) => setValues((prev) => ({ ...prev, [field.name]: e.target.value }))}
          errors={fieldErrors[field.name]}
        />
      ))}
      <button type="submit" className="primary" disabled={pending}>
        {submitLabel}
      </button>
    </form>
  );
}
