import { useMutation } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { Field } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { useAuthStore } from "../../lib/auth-context.tsx";
import { fieldErrorsOf } from "../../lib/errors.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { useCartStore } from "../cart/cart-context.tsx";

export const ACCOUNT_DELETED_NOTICE = "Your account was deleted.";
const PASSWORD_ID = "delete-account-password";

/**
 * Erasure at the owner's request: the password again (whoever finds the device unlocked
 * must not be able to do it), then a confirmation, since nothing brings the account back.
 */
export function DeleteAccountForm() {
  const trpc = useTRPC();
  const store = useAuthStore();
  const cart = useCartStore();
  const navigate = useNavigate();
  const [password, setPassword] = useState("");
  const [missing, setMissing] = useState(false);
  const [asking, setAsking] = useState(false);
  const remove = useMutation(
    trpc.auth.deleteAccount.mutationOptions({
      onSuccess: async () => {
        // Leave the account page first: its sign-in guard would otherwise send the user to /signin.
        await navigate({ to: "/" });
        // The server has revoked every session and dropped the cookie; forget it all here too.
        store.ended(ACCOUNT_DELETED_NOTICE);
        cart.clear();
      },
      // The dialog has closed; the message is at the field, so take the user there.
      onError: () => document.getElementById(PASSWORD_ID)?.focus(),
    }),
  );
  const passwordErrors = missing ? ["Enter your password."] : fieldErrorsOf(remove.error).password;

  const ask = (event: FormEvent) => {
    event.preventDefault();
    if (password === "") {
      setMissing(true);
      document.getElementById(PASSWORD_ID)?.focus();
      return;
    }
    setMissing(false);
    setAsking(true);
  };
  const confirm = () => {
    setAsking(false);
    remove.mutate({ password });
  };

  return (
    // The dialog is a form of its own, so it sits beside this one (forms do not nest).
    <section className="card stack" aria-labelledby="delete-account-title">
      <h2 id="delete-account-title">Delete my account</h2>
      <p>Deleting your account:</p>
      <ul>
        <li>removes your name, e-mail address, saved addresses and session details;</li>
        <li>keeps your orders for the shop&apos;s accounting, as an erased customer&apos;s, with no name attached;</li>
        <li>signs you out on every device.</li>
      </ul>
      <p>
        <strong>This cannot be undone.</strong>
      </p>
      <form onSubmit={ask} aria-labelledby="delete-account-title" noValidate>
        {/* Only errors not about the password (a network failure) go here; the password's are at its field. */}
        {!passwordErrors && <FormError error={remove.error} />}
        <Field
          id={PASSWORD_ID}
          label="Your password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          errors={passwordErrors}
          hint="To make sure it is you."
        />
        <button type="submit" className="danger" disabled={remove.isPending}>
          Delete my account…
        </button>
        {remove.isPending && (
          <p role="status" className="status">
            Deleting your account…
          </p>
        )}
      </form>
      <ConfirmDialog
        open={asking}
        title="Delete your account?"
        confirmLabel="Delete my account"
        cancelLabel="Keep my account"
        onCancel={() => setAsking(false)}
        onConfirm={confirm}
      >
        <p>
          Your personal data is removed and you are signed out everywhere. Your orders stay, without your name. This
          cannot be undone.
        </p>
      </ConfirmDialog>
    </section>
  );
}
