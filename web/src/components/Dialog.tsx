// A small modal dialog on the native <dialog> element: showModal() makes the rest of the page inert
// (clicks and screen readers stay inside), Tab and Shift+Tab cycle within it, Escape cancels, and
// on close the focus goes back to where it was before (or to `returnFocus()` when that element is
// gone, e.g. a list row that an action removed). Mounting it opens it; the caller unmounts it to
// close, so React state alone says whether it is open.
import { type KeyboardEvent, type ReactNode, type RefObject, useEffect, useId, useRef } from 'react';

interface DialogProps {
  title: string;
  /** A line under the title (what the dialog is about), read out with the title. */
  description?: ReactNode | undefined;
  onCancel: () => void;
  /** The element to focus first; else the first field or button. */
  initialFocus?: RefObject<HTMLElement | null> | undefined;
  /** Where focus goes on close when the element focused before is no longer on the page. */
  returnFocus?: (() => void) | undefined;
  className?: string | undefined;
  children: ReactNode;
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function Dialog({
  title,
  description,
  onCancel,
  initialFocus,
  returnFocus,
  className,
  children,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const cancelRef = useRef(onCancel);
  cancelRef.current = onCancel;
  const returnRef = useRef(returnFocus);
  returnRef.current = returnFocus;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const first = initialFocus?.current ?? dialog.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    const onCancelEvent = (event: Event): void => {
      // The browser would close it itself; the caller's state decides instead.
      event.preventDefault();
      cancelRef.current();
    };
    dialog.addEventListener('cancel', onCancelEvent);
    return () => {
      dialog.removeEventListener('cancel', onCancelEvent);
      if (dialog.open) dialog.close();
      if (before?.isConnected) before.focus();
      else returnRef.current?.();
    };
    // Opened once per mount: the focus target is read when it opens.
  }, []);

  const trapTab = (event: KeyboardEvent<HTMLDialogElement>): void => {
    if (event.key !== 'Tab') return;
    const items = [...(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])].filter(
      (el) => el.offsetParent !== null,
    );
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      className={`dialog${className ? ` ${className}` : ''}`}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onKeyDown={trapTab}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {description ? (
        <div id={descriptionId} className="dialog-description">
          {description}
        </div>
      ) : null}
      {children}
    </dialog>
  );
}
