import { useNavigate } from "@tanstack/react-router";
import { useEffect } from "react";
import { useAuth } from "../../lib/auth-context.tsx";
import { safeRedirect } from "./safe-redirect.ts";

/**
 * Sign-in and sign-up have nothing to offer someone already signed in (a bookmark, the back
 * button, another tab): they go on to where they were headed, or the catalog.
 */
export function useLeaveIfSignedIn(redirect: string | undefined): void {
  const { status } = useAuth();
  const navigate = useNavigate();
  useEffect(() => {
    if (status === "signedIn") void navigate({ to: safeRedirect(redirect), replace: true });
  }, [status, redirect, navigate]);
}
