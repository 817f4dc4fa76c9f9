// A comment field with @mention completion: typing `@` and part of a name offers people from the
// directory (arrow keys and Enter or Tab pick one, Escape closes the list, the mouse works too),
// and picking one writes `@<person id> ` into the text, which is what the API reads as a mention.
// The ARIA 1.2 combobox pattern on a textarea, like the person picker.
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { PersonOptions } from '../../components/PersonOptions.js';
import { type PersonOption, searchPeople } from '../../components/PersonPicker.js';

interface MentionFieldProps {
  id: string;
  value: string;
  onChange: (text: string) => void;
  describedBy?: string;
  invalid?: boolean;
  disabled?: boolean;
}

const SEARCH_DELAY_MS = 150;
/** `@` at the start or after a space, then the part of a name typed so far, up to the caret. */
const TYPING_MENTION = /(?:^|\s)@([^\s@]{2,40})$/;

export function MentionField({ id, value, onChange, describedBy, invalid, disabled }: MentionFieldProps) {
  const listId = useId();
  const field = useRef<HTMLTextAreaElement>(null);
  const [query, setQuery] = useState<{ text: string; start: number } | null>(null);
  const [options, setOptions] = useState<PersonOption[]>([]);
  const [active, setActive] = useState(0);

  useEffect(() => {
    if (query === null) {
      setOptions([]);
      return undefined;
    }
    let cancelled = false;
    const timer = window.setTimeout(() => {
      searchPeople(query.text, 6)
        .then((found) => {
          if (cancelled) return;
          setOptions(found);
          setActive(0);
        })
        .catch(() => {
          if (!cancelled) setOptions([]);
        });
    }, SEARCH_DELAY_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [query]);

  /** What is being typed after an `@` just before the caret, if anything. */
  const readQuery = (text: string, caret: number): void => {
    const match = TYPING_MENTION.exec(text.slice(0, caret));
    setQuery(match?.[1] ? { text: match[1], start: caret - match[1].length - 1 } : null);
  };

  const choose = (option: PersonOption): void => {
    if (!query) return;
    const caret = query.start + 1 + query.text.length;
    const mention = `@${option.id} `;
    const next = value.slice(0, query.start) + mention + value.slice(caret);
    onChange(next);
    setQuery(null);
    const at = query.start + mention.length;
    requestAnimationFrame(() => {
      field.current?.focus();
      field.current?.setSelectionRange(at, at);
    });
  };

  const expanded = query !== null && options.length > 0;
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (!expanded) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i + step + options.length) % options.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      const option = options[active];
      if (option) {
        event.preventDefault();
        choose(option);
      }
    } else if (event.key === 'Escape') {
      // Closes the list only, not the panel around it.
      event.preventDefault();
      event.stopPropagation();
      setQuery(null);
    }
  };

  return (
    <div className="mention-field">
      <textarea
        id={id}
        ref={field}
        rows={3}
        value={value}
        disabled={disabled}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded ? `${listId}-${active}` : undefined}
        aria-describedby={describedBy}
        aria-invalid={invalid ? true : undefined}
        onChange={(e) => {
          onChange(e.target.value);
          readQuery(e.target.value, e.target.selectionStart);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => window.setTimeout(() => setQuery(null), 150)}
      />
      <PersonOptions
        id={listId}
        options={options}
        active={active}
        expanded={expanded}
        label="People to mention"
        onChoose={choose}
      />
    </div>
  );
}
