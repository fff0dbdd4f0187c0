/**
 * Modal questions: confirm a destructive action (the button names the object), or ask for a value.
 * Escape cancels; focus starts on the safe choice and returns where it was.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import './dialogs.css';

function useModal(onCancel: () => void) {
  const previous = useRef<Element | null>(null);
  useEffect(() => {
    previous.current = document.activeElement;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onCancel();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      (previous.current as HTMLElement | null)?.focus?.();
    };
  }, [onCancel]);
}

export function ConfirmDialog(props: { title: string; children: ReactNode; confirmLabel: string; danger?: boolean; onConfirm(): void; onCancel(): void }) {
  useModal(props.onCancel);
  return (
    <div className="modal-backdrop" onMouseDown={props.onCancel}>
      <div className="modal" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" onMouseDown={(e) => e.stopPropagation()}>
        <h2 id="confirm-title">{props.title}</h2>
        <div className="modal-body">{props.children}</div>
        <div className="modal-buttons">
          <button type="button" autoFocus onClick={props.onCancel}>
            Cancel
          </button>
          <button type="button" className={props.danger ? 'danger' : 'primary'} onClick={props.onConfirm}>
            {props.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}

export function PromptDialog(props: {
  title: string;
  label: string;
  initial: string;
  validate(value: string): string | undefined;
  confirmLabel: string;
  onSubmit(value: string): void;
  onCancel(): void;
}) {
  useModal(props.onCancel);
  const [value, setValue] = useState(props.initial);
  const problem = props.validate(value);
  return (
    <div className="modal-backdrop" onMouseDown={props.onCancel}>
      <form
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="prompt-title"
        onMouseDown={(e) => e.stopPropagation()}
        onSubmit={(e) => {
          e.preventDefault();
          if (!problem) props.onSubmit(value);
        }}
      >
        <h2 id="prompt-title">{props.title}</h2>
        <label className="field">
          {props.label}
          <input autoFocus value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={!!problem} />
        </label>
        {problem && <p className="error small">{problem}</p>}
        <div className="modal-buttons">
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!!problem}>
            {props.confirmLabel}
          </button>
        </div>
      </form>
    </div>
  );
}

export function TextDialog(props: { title: string; text: string; onClose(): void }) {
  useModal(props.onClose);
  return (
    <div className="modal-backdrop" onMouseDown={props.onClose}>
      <div className="modal wide" role="dialog" aria-modal="true" aria-labelledby="text-title" onMouseDown={(e) => e.stopPropagation()}>
        <h2 id="text-title">{props.title}</h2>
        <pre className="log-text" tabIndex={0}>
          {props.text || '(no output)'}
        </pre>
        <div className="modal-buttons">
          <button type="button" autoFocus onClick={props.onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
