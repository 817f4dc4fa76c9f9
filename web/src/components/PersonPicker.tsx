// A person field with directory search: type part of a name or e-mail, pick from up to eight
// matches with the arrow keys and Enter (or the mouse), or keep what was typed. The ARIA 1.2
// combobox pattern, so screen readers announce the list and the active option. Used for person
// inputs of a request form, delegation targets and the like; the value is always a person id.
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { api, unwrap } from '../api-client/client.js';
import { type PersonOption, PersonOptions } from './PersonOptions.js';

export type { PersonOption };

interface PersonPickerProps {
  /** The input's id, for the label's htmlFor. */
  id: string;
  value: string;
  onChange: (person: string) => void;
  /** Ids of elements that describe the field (help, problem). */
  describedBy?: string;
  invalid?: boolean;
  required?: boolean;
  disabled?: boolean;
  placeholder?: string;
}

const SEARCH_DELAY_MS = 150;

export async function searchPeople(q: string, limit = 8): Promise<PersonOption[]> {
  const page = await unwrap(api.GET('/v1/directory/people', { params: { query: { q, limit } } }));
  return page.items.map((p) => ({ id: p.id, name: p.name ?? p.id }));
}

export function PersonPicker({
  id,
  value,
  onChange,
  describedBy,
  invalid,
  required,
  disabled,
  placeholder,
}: PersonPickerProps) {
  const listId = useId();
  const [options, setOptions] = useState<PersonOption[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const typed = useRef(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const q = value.trim();
    if (!typed.current || q.length < 2) {
      setOptions([]);
      return undefined;
    }
    let cancelled = false;
    const timer = window.setTimeout(() => {
      searchPeople(q)
        .then((found) => {
          if (cancelled) return;
          setOptions(found);
          setActive(-1);
          // Answers that arrive after the person moved on must not open a list over the next field.
          setOpen(found.length > 0 && document.activeElement === input.current);
        })
        .catch(() => {
          // The field still takes a typed id; the server checks it on submit.
          if (!cancelled) setOptions([]);
        });
    }, SEARCH_DELAY_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [value]);

  const choose = (option: PersonOption): void => {
    typed.current = false;
    onChange(option.id);
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'ArrowDown' && options.length > 0) {
      event.preventDefault();
      setOpen(true);
      setActive((i) => (i + 1) % options.length);
    } else if (event.key === 'ArrowUp' && options.length > 0) {
      event.preventDefault();
      setOpen(true);
      setActive((i) => (i <= 0 ? options.length - 1 : i - 1));
    } else if (event.key === 'Enter' && open && active >= 0) {
      event.preventDefault();
      const option = options[active];
      if (option) choose(option);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      setOpen(false);
    }
  };

  const expanded = open && options.length > 0;
  return (
    <div className="person-picker">
      <input
        ref={input}
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        aria-describedby={describedBy}
        aria-invalid={invalid ? true : undefined}
        required={required}
        disabled={disabled}
        placeholder={placeholder ?? 'name or e-mail'}
        value={value}
        onChange={(e) => {
          typed.current = true;
          onChange(e.target.value);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => window.setTimeout(() => setOpen(false), 150)}
      />
      <PersonOptions
        id={listId}
        options={options}
        active={active}
        expanded={expanded}
        label="People found"
        onChoose={choose}
      />
    </div>
  );
}
