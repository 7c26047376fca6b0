import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

/**
 * A modal dialog that asks to type a word before a destructive action: the confirm button stays
 * disabled until `word` is typed exactly. Escape or Cancel closes it; focus returns to the opener.
 */
export function ConfirmDialog({ open, title, children, word, confirmLabel, busy, onConfirm, onClose }: {
  open: boolean;
  title: string;
  children: ReactNode;
  word: string;
  confirmLabel: string;
  busy: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState('');
  const titleId = useId();
  const inputId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setTyped('');
      dialog.showModal();
    } else if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="confirm-dialog" aria-labelledby={titleId} onClose={onClose}>
      <form method="dialog" onSubmit={(event) => { event.preventDefault(); if (typed === word) onConfirm(); }}>
        <h2 id={titleId}>{title}</h2>
        {children}
        <label htmlFor={inputId}>Type <strong>{word}</strong> to confirm</label>
        <input id={inputId} value={typed} onChange={(event) => setTyped(event.target.value)} autoComplete="off" />
        <div className="confirm-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="danger" disabled={typed !== word || busy}>{busy ? 'Working…' : confirmLabel}</button>
        </div>
      </form>
    </dialog>
  );
}
