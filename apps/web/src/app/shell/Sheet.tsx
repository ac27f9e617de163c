import { type ReactNode, useEffect, useId, useRef } from 'react';

/** A ref for a `<dialog>` shown as a modal while `open` is true and closed when it turns false. */
export function useModalDialog(open: boolean) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return ref;
}

/**
 * A bottom sheet on phones, a centred panel on wide screens, built on the
 * native modal `<dialog>`: focus moves in and is trapped, Escape closes it,
 * and focus returns to the button that opened it.
 */
export function Sheet(props: { open: boolean; onClose: () => void; title: string; children: ReactNode }) {
  const ref = useModalDialog(props.open);
  const titleId = useId();
  const { open, onClose } = props;

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the backdrop tap mirrors Escape, which <dialog> handles natively.
    <dialog
      ref={ref}
      className="fs-sheet"
      aria-labelledby={titleId}
      onClose={onClose}
      onClick={(event) => {
        // A tap on the backdrop (the dialog element itself, outside the panel) closes.
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div className="fs-sheet__panel">
        <div className="fs-sheet__head">
          <h2 id={titleId}>{props.title}</h2>
          <button type="button" className="fs-button fs-button--ghost" onClick={onClose}>
            Close
          </button>
        </div>
        {open ? props.children : null}
      </div>
    </dialog>
  );
}
