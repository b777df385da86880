import { useEffect, useRef, useState } from "react";

/**
 * A signing secret straight from a create or rotateSecret answer. The server keeps it sealed
 * and never shows it again, so this is the admin's one chance to copy it; it lives only in the
 * parent's state (not the query cache or the URL) and is gone once dismissed.
 */
export function SecretOnce({ secret, label, onDismiss }: { secret: string; label: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Moves focus here so keyboard and screen-reader users learn the secret appeared.
  useEffect(() => headingRef.current?.focus(), []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  };

  return (
    <section className="card secret-once" aria-labelledby="secret-once-title">
      <h3 id="secret-once-title" ref={headingRef} tabIndex={-1}>
        Signing secret for {label}
      </h3>
      <p>
        <strong>Copy it now: you will not see it again.</strong> Receivers verify each delivery's signature with it.
      </p>
      <div className="inline-form">
        <label htmlFor="secret-once-value">Signing secret</label>
        {/* Read-only input: selectable by keyboard, and never a form value sent anywhere. */}
        <input
          id="secret-once-value"
          className="secret-value"
          readOnly
          value={secret}
          onFocus={(e) => e.target.select()}
        />
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" onClick={onDismiss}>
          I have saved it
        </button>
      </div>
      <p role="status" aria-live="polite" className="muted">
        {copied === "yes" && "Copied to the clipboard."}
        {copied === "failed" && "Could not copy: select the secret and copy it by hand."}
      </p>
    </section>
  );
}
