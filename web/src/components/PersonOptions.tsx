// The list of people a person field or an @mention offers (the listbox of an ARIA 1.2 combobox):
// the owner keeps the focus in its text field and points at the active option by id, so only the
// mouse picks here (on mousedown, before the field's blur closes the list).

/** A person found by a directory search: the id a field takes, and the name shown. */
export interface PersonOption {
  id: string;
  name: string;
}

interface PersonOptionsProps {
  /** The listbox's id; option i is `${id}-${i}` (for aria-activedescendant). */
  id: string;
  options: readonly PersonOption[];
  active: number;
  expanded: boolean;
  label: string;
  onChoose: (option: PersonOption) => void;
}

export function PersonOptions({ id, options, active, expanded, label, onChoose }: PersonOptionsProps) {
  return (
    <ul id={id} role="listbox" className="person-options" hidden={!expanded} aria-label={label}>
      {options.map((option, i) => (
        <li
          key={option.id}
          id={`${id}-${i}`}
          role="option"
          aria-selected={i === active}
          onMouseDown={(e) => {
            e.preventDefault();
            onChoose(option);
          }}
        >
          <span className="person-name">{option.name}</span> <span className="person-id">{option.id}</span>
        </li>
      ))}
    </ul>
  );
}
