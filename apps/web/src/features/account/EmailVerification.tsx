import { useMutation, useQuery } from "@tanstack/react-query";
import { FormError } from "../../components/FormError.tsx";
import { useTRPC } from "../../lib/trpc.ts";

/** Whether the account's address is confirmed, with a way to get a new link while it is not. */
export function EmailVerification() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const resend = useMutation(trpc.auth.resendVerification.mutationOptions());
  if (!me.data) return null;
  if (me.data.emailVerified) return <p>Your e-mail address is confirmed.</p>;
  return (
    <section aria-labelledby="verification-title">
      <h2 id="verification-title">Confirm your e-mail address</h2>
      <p>We sent you a link when you signed up. Some shops ask for a confirmed address before an order.</p>
      <FormError error={resend.error} />
      {resend.isSuccess ? (
        <p role="status">We sent a new link. Check your e-mail.</p>
      ) : (
        <button type="button" disabled={resend.isPending} onClick={() => resend.mutate()}>
          Send me a new link
        </button>
      )}
    </section>
  );
}
