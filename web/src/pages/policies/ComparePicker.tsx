// The choice of two versions of a policy to compare: "from" and "to", each a labelled select of
// the published versions (newest first), the newer one as "to" by default. Comparing goes to
// /policies?compare=<name>&from=<v>&to=<v>, an address that can be bookmarked and sent to a
// colleague; the browser's back button returns to where the comparison was asked for. Choosing
// the same version twice is allowed (the server answers that nothing changed), so the form has
// nothing to refuse.
import { type FormEvent, useId, useState } from 'react';
import { navigate } from '../../app/router.js';
import { compareHref } from './comparison.js';

interface ComparePickerProps {
  name: string;
  /** The published version numbers, newest first. */
  versions: readonly number[];
  from?: number;
  to?: number;
}

export function ComparePicker({ name, versions, from, to }: ComparePickerProps) {
  const id = useId();
  const newest = versions[0] ?? 1;
  // A version the address names but nobody published is not offered: the defaults stand instead.
  const known = (v: number | undefined): v is number => v !== undefined && versions.includes(v);
  const [chosenFrom, setFrom] = useState(known(from) ? from : (versions[1] ?? newest));
  const [chosenTo, setTo] = useState(known(to) ? to : newest);

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    navigate(compareHref({ name, from: chosenFrom, to: chosenTo }));
  };

  const options = versions.map((v) => (
    <option key={v} value={v}>
      Version {v}
    </option>
  ));
  return (
    <form className="policy-compare" onSubmit={submit} aria-label={`Compare versions of ${name}`}>
      <div className="field">
        <label htmlFor={`${id}-from`}>From</label>
        <select id={`${id}-from`} value={chosenFrom} onChange={(e) => setFrom(Number(e.target.value))}>
          {options}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-to`}>To</label>
        <select id={`${id}-to`} value={chosenTo} onChange={(e) => setTo(Number(e.target.value))}>
          {options}
        </select>
      </div>
      <button type="submit" className="button">
        Compare
        <span className="visually-hidden"> versions of {name}</span>
      </button>
    </form>
  );
}
