import { errorMessage, fieldErrorsOf } from "../lib/errors.ts";

/** The form-level error: shown when the error is not (only) about individual fields. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  const fieldErrors = fieldErrorsOf(error);
  const message = Object.keys(fieldErrors).length > 0 ? "Please fix the highlighted fields." : errorMessage(error);
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}
