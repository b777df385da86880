import { RequireAuth } from "../../components/RequireAuth.tsx";
import { useAuth } from "../../lib/auth-context.tsx";
import { SavedAddresses } from "../addresses/SavedAddresses.tsx";
import { ChangePasswordForm } from "./ChangePasswordForm.tsx";
import { DeleteAccountForm } from "./DeleteAccountForm.tsx";
import { EmailVerification } from "./EmailVerification.tsx";
import { SessionsList } from "./SessionsList.tsx";
import { usePageTitle } from "../../lib/page-title.ts";

export function AccountPage() {
  usePageTitle("Account");
  return (
    <RequireAuth reason="Sign in to manage your account.">
      <Account />
    </RequireAuth>
  );
}

function Account() {
  const { user } = useAuth();
  return (
    <div className="stack">
      <h1>Account</h1>
      <p>
        Signed in as <strong>{user?.name}</strong> ({user?.email})
      </p>
      <EmailVerification />
      <SavedAddresses />
      <SessionsList />
      <ChangePasswordForm />
      <DeleteAccountForm />
    </div>
  );
}
