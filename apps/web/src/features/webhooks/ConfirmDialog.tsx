import { useEffect, useId, useRef, type ReactNode } from "react";

/**
 * A modal question on the native <dialog>: showModal() gives focus trapping, Escape to cancel
 * and an inert page behind it, so no dialog library is needed.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    // onClose covers Escape as well as the buttons, so the parent's state follows the dialog.
    <dialog ref={ref} aria-labelledby={titleId} className="card confirm-dialog" onClose={onCancel}>
      <h3 id={titleId}>{title}</h3>
      {children}
      <p className="actions">
        <button type="button" onClick={onCancel} autoFocus>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onConfirm}>
          {confirmLabel}
        </button>
      </p>
    </dialog>
  );
}
