import { PASSWORD_MIN_LENGTH } from "@cartwheel/contracts/limits";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Field } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { fieldErrorsOf } from "../../lib/errors.ts";
import { useTRPC } from "../../lib/trpc.ts";

export function ChangePasswordForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: async () => {
        setCurrentPassword("");
        setNewPassword("");
        // Changing the password ends every other session; show that.
        await queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.queryKey() });
      },
    }),
  );
  const fieldErrors = fieldErrorsOf(change.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({ currentPassword, newPassword });
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby="password-title" noValidate>
      <h2 id="password-title">Change password</h2>
      <FormError error={change.error} />
      <Field
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
        value={currentPassword}
        onChange={(e) => setCurrentPassword(e.target.value)}
        errors={fieldErrors.currentPassword}
      />
      <Field
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        value={newPassword}
        onChange={(e) => setNewPassword(e.target.value)}
        errors={fieldErrors.newPassword}
        hint={`At least ${PASSWORD_MIN_LENGTH} characters. Other sessions will be signed out.`}
      />
      <button type="submit" className="primary" disabled={change.isPending}>
        Change password
      </button>
      {change.isSuccess && (
        <p role="status" className="success">
          Password changed. Other sessions were signed out.
        </p>
      )}
    </form>
  );
}
