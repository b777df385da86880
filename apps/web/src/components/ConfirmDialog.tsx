import { useEffect, useId, useRef, type FormEvent, type ReactNode } from "react";

/**
 * A modal question on the native <dialog>: showModal() gives focus trapping, Escape to cancel
 * and an inert page behind it, so no dialog library is needed. The body is a form, so Enter in
 * an input of `children` (a tracking number) confirms like the button does.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel = "Cancel",
  tone = "danger",
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Another word where "Cancel" would be ambiguous (the question is whether to cancel an order). */
  cancelLabel?: string;
  /** "danger" for what cannot be undone (the default), "primary" for a step forward. */
  tone?: "danger" | "primary";
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // showModal() focuses the first focusable element inside: an input of `children`, else Cancel.
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onConfirm();
  };

  return (
    // onClose covers Escape as well as the buttons, so the parent's state follows the dialog.
    <dialog ref={ref} aria-labelledby={titleId} className="card confirm-dialog" onClose={onCancel}>
      <form onSubmit={submit} noValidate>
        <h3 id={titleId}>{title}</h3>
        {children}
        <p className="actions">
          <button type="button" onClick={onCancel}>
            {cancelLabel}
          </button>
          <button type="submit" className={tone}>
            {confirmLabel}
          </button>
        </p>
      </form>
    </dialog>
  );
}
