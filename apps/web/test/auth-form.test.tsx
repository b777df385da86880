import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AuthForm } from "../src/features/auth/AuthForm.tsx";
import { signUpFields } from "../src/features/auth/SignUpPage.tsx";
import { apiError } from "./api-error.ts";

/** The text an assistive technology reads as the element's description. */
function description(element: HTMLElement): string {
  const ids = element.getAttribute("aria-describedby")?.split(" ") ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? "").join(" ");
}

afterEach(cleanup);

describe("sign-up form", () => {
  it("shows the server's field errors next to their fields", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn<(values: Record<string, string>) => Promise<void>>().mockRejectedValue(
      apiError("BAD_REQUEST", 400, "Invalid input", {
        fieldErrors: { email: ["Enter a valid email address."], password: ["This password is too common."] },
      }),
    );
    render(<AuthForm title="Create your account" fields={signUpFields} submitLabel="Sign up" onSubmit={onSubmit} />);

    await user.type(screen.getByLabelText("Name"), "Ada");
    await user.type(screen.getByLabelText("Email"), "ada@");
    await user.type(screen.getByLabelText("Password"), "password");
    await user.click(screen.getByRole("button", { name: "Sign up" }));

    expect(onSubmit).toHaveBeenCalledWith({ name: "Ada", email: "ada@", password: "password" });
    const email = screen.getByLabelText("Email");
    expect(email.getAttribute("aria-invalid")).toBe("true");
    expect(description(email)).toBe("Enter a valid email address.");
    expect(description(screen.getByLabelText("Password"))).toBe(
      "At least 8 characters. Avoid common passwords. This password is too common.",
    );
    expect(screen.getByLabelText("Name").getAttribute("aria-invalid")).toBeNull();
    expect(screen.getByRole("alert").textContent).toBe("Please fix the highlighted fields.");
  });

  it("shows a non-field error as a form message and is operable from the keyboard", async () => {
    const user = userEvent.setup();
    const onSubmit = vi
      .fn<(values: Record<string, string>) => Promise<void>>()
      .mockRejectedValue(apiError("CONFLICT", 409, "That email is already registered."));
    render(<AuthForm title="Create your account" fields={signUpFields} submitLabel="Sign up" onSubmit={onSubmit} />);

    await user.tab();
    expect(document.activeElement).toBe(screen.getByLabelText("Name"));
    await user.keyboard("Ada");
    await user.tab();
    await user.keyboard("ada@example.com");
    await user.tab();
    await user.keyboard("correct horse battery{Enter}");

    expect(onSubmit).toHaveBeenCalledOnce();
    expect((await screen.findByRole("alert")).textContent).toBe("That email is already registered.");
  });
});
