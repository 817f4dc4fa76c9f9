// The parts the settings forms share: a field (label, help, the control, the server's problem at
// its path, wired with aria-describedby and aria-invalid), the summary of a refusal at the top of
// a form (each problem links to its field; problems no field shows are listed with the API's
// path), and the status line that says a save went through. A refused save changes nothing the
// person typed: the forms keep their drafts and only add these.
import {
  type FormEvent,
  forwardRef,
  type MouseEvent,
  type ReactNode,
  useEffect,
  useRef,
  useState,
} from 'react';
import { type ApiFailure, asFailure } from '../../api-client/client.js';
import type { FieldProblem } from '../../api-client/failure.js';

/** A field a problem can point at: its label and the id of the control that takes focus. */
export interface Place {
  label: string;
  control: string;
}

/** The refusal's problems inside the request body, paths without `body.` (`workingHours.to`). */
export function bodyProblems(failure: ApiFailure | null): FieldProblem[] {
  return failure === null ? [] : failure.problemsUnder('body');
}

/** The first message at `path` or below it (`workingHours.days[2]` is at `workingHours.days`). */
export function problemAt(problems: readonly FieldProblem[], path: string): string | undefined {
  return problems.find(
    (p) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`),
  )?.message;
}

/** The place whose path is `path` or the closest above it. */
function placeOf(places: Record<string, Place>, path: string): Place | undefined {
  for (let at = path; ;) {
    const place = places[at];
    if (place) return place;
    const up = at.replace(/(\.[^.[\]]*|\[\d+\])$/, '');
    if (up === at) return undefined;
    at = up;
  }
}

/** The ids to put in aria-describedby, or undefined when there are none. */
export const describedBy = (...ids: (string | null | false | undefined)[]): string | undefined =>
  ids.filter((x): x is string => typeof x === 'string' && x !== '').join(' ') || undefined;

export interface Control {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': true | undefined;
}

/** A labelled control with its help line and the server's problem at its path. */
export function Field({
  id,
  label,
  help,
  problem,
  className,
  children,
}: {
  id: string;
  label: string;
  help?: ReactNode;
  problem: string | undefined;
  className?: string;
  children: (control: Control) => ReactNode;
}) {
  const control: Control = {
    id,
    'aria-describedby': describedBy(
      help !== undefined && `${id}-help`,
      problem !== undefined && `${id}-problem`,
    ),
    'aria-invalid': problem === undefined ? undefined : true,
  };
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(control)}
      {help !== undefined ? (
        <p className="field-help" id={`${id}-help`}>
          {help}
        </p>
      ) : null}
      <FieldProblemText id={`${id}-problem`} problem={problem} />
    </div>
  );
}

export function FieldProblemText({ id, problem }: { id: string; problem: string | undefined }) {
  return problem === undefined ? null : (
    <p className="field-problem" id={id}>
      {problem}
    </p>
  );
}

interface SummaryProps {
  failure: ApiFailure;
  /** What did not happen: "Your contact details were not saved". */
  title: string;
  /** Fields by the API path (without `body.`) they show problems of. */
  places: Record<string, Place>;
}

/**
 * Why a save was refused, at the top of the form. It takes focus when it appears, so a keyboard
 * or screen-reader user hears at once what went wrong; each problem links to its field.
 */
export const RefusalSummary = forwardRef<HTMLDivElement, SummaryProps>(function RefusalSummary(
  { failure, title, places },
  ref,
) {
  const problems = bodyProblems(failure);
  const go = (event: MouseEvent<HTMLAnchorElement>, control: string): void => {
    const target = document.getElementById(control);
    if (!target) return;
    event.preventDefault();
    target.focus();
    target.scrollIntoView({ block: 'center' });
  };
  return (
    <div className="notice notice-error problem-summary" role="alert" tabIndex={-1} ref={ref}>
      <p className="notice-title">{title}</p>
      {problems.length > 0 ? (
        <p>
          {problems.length === 1 ? 'Fix this field' : `Fix these ${problems.length} fields`}, then save again:
        </p>
      ) : (
        <p>
          {failure.message} <code className="code-tag">{failure.code}</code>
        </p>
      )}
      {problems.length > 0 ? (
        <ul className="problems">
          {problems.map((p) => {
            const place = placeOf(places, p.path);
            return (
              <li key={`${p.path}:${p.message}`}>
                {place ? (
                  <a href={`#${place.control}`} onClick={(e) => go(e, place.control)}>
                    {place.label}
                  </a>
                ) : (
                  <code>{p.path === '' ? 'body' : p.path}</code>
                )}
                : {p.message}
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
});

/** The summary of `failure` that takes focus each time a new refusal arrives. */
export function useFocusOnRefusal(failure: ApiFailure | null) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (failure !== null) ref.current?.focus();
  }, [failure]);
  return ref;
}

/** The polite status line under a form's button: present from the start, so readers announce it. */
export function SaveStatus({ text }: { text: string | null }) {
  return (
    <p className="settings-status" role="status" aria-live="polite">
      {text ? <span className="notice notice-ok settings-saved">{text}</span> : null}
    </p>
  );
}

/**
 * A form's save: busy while it runs, the refusal (kept until the next save) or the saved text,
 * and the summary's ref that takes focus on a refusal. `submit(save, done)` runs `save`, hands
 * its answer to `done` (which puts the saved values back in the draft) and says `savedText`.
 */
export function useSave(savedText: string) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const summaryRef = useFocusOnRefusal(failure);
  const submit = async <T,>(
    event: FormEvent,
    save: () => Promise<T>,
    done: (answer: T) => void,
  ): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setSaved(null);
    try {
      done(await save());
      setFailure(null);
      setSaved(savedText);
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setBusy(false);
    }
  };
  return { busy, failure, saved, summaryRef, submit };
}
