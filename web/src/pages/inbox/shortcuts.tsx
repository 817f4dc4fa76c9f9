// The inbox's keyboard shortcuts, as in mail programs: j / k move down / up the list, Enter opens
// the selected task, a / r start approving / rejecting it (the confirmation follows), x ticks its
// checkbox, Escape closes the panel. They stay out of the way of typing: nothing fires while the
// focus is in a text field, a dialog is open, or a modifier key is held. The hint (below) lists them.
import { useEffect, useRef } from 'react';

export interface InboxKeys {
  next: () => void;
  previous: () => void;
  open: () => void;
  approve: () => void;
  reject: () => void;
  toggleCheck: () => void;
  close: () => void;
}

const TEXT_INPUTS = new Set([
  'text',
  'search',
  'email',
  'url',
  'tel',
  'password',
  'number',
  'date',
  'datetime-local',
  'month',
  'week',
  'time',
]);

/** Whether keys pressed in `target` are someone typing (then shortcuts must not fire). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && TEXT_INPUTS.has(target.type);
}

/** Elements on which Enter already does something of its own (follow the link, press the button). */
const ACTS_ON_ENTER = 'a[href], button, input, select, textarea, summary, [role="button"]';

export function useInboxKeys(keys: InboxKeys, enabled: boolean): void {
  const current = useRef(keys);
  current.current = keys;
  useEffect(() => {
    if (!enabled) return undefined;
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) return;
      if (event.target instanceof Element && event.target.closest('dialog')) return;
      const k = current.current;
      const handled = (action: () => void): void => {
        event.preventDefault();
        action();
      };
      switch (event.key) {
        case 'j':
          return handled(k.next);
        case 'k':
          return handled(k.previous);
        case 'a':
          return handled(k.approve);
        case 'r':
          return handled(k.reject);
        case 'x':
          return handled(k.toggleCheck);
        case 'Escape':
          return handled(k.close);
        case 'Enter':
          if (event.target instanceof Element && event.target.closest(ACTS_ON_ENTER)) return;
          return handled(k.open);
        default:
          return;
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}

/** What the hint lists: keep it in step with the switch above. */
const KEYS: [string, string][] = [
  ['j / k', 'next / previous task'],
  ['Enter', 'open the selected task'],
  ['a', 'approve (or waive, attest) the open or selected task'],
  ['r', 'reject the open or selected task'],
  ['x', 'tick the selected task for bulk approval'],
  ['Esc', 'close the task or the dialog'],
];

export function ShortcutsHint() {
  return (
    <details className="inbox-keys">
      <summary>Keyboard shortcuts</summary>
      <dl>
        {KEYS.map(([key, what]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <p className="field-help">
        Shortcuts pause while you type in a field. Every action asks for confirmation.
      </p>
    </details>
  );
}
