// The policy text behind a fact: a line link (a disclosure button) that opens an excerpt of the
// published version's source, a few lines around the place with the place highlighted. The
// version is read once, on the first click, from GET /v1/policies/{name}/versions/{version}; it
// is the version the instance pinned, so the excerpt is the text that decided, not today's.
import { createContext, type ReactNode, useContext, useEffect, useId, useState } from 'react';
import type { ApiFailure } from '../../api-client/client.js';
import { asFailure } from '../../api-client/client.js';
import { ErrorNotice, Loading } from '../../components/states.js';
import { type PolicySources, readPolicySources, type SourceSpan } from './reads.js';

/** Lines shown before and after the place; a place longer than MAX_LINES is cut. */
const AROUND = 2;
const MAX_LINES = 8;

export interface PolicyRef {
  name: string;
  version: number;
  process: string;
}

const PolicyContext = createContext<PolicyRef | null>(null);

export function PolicySourceProvider({ policy, children }: { policy: PolicyRef; children: ReactNode }) {
  return <PolicyContext.Provider value={policy}>{children}</PolicyContext.Provider>;
}

/** A span the engine recorded, or a line of the process's own file (a graph node's line). */
export type SourcePlace = SourceSpan | { processLine: number };

const lineOf = (place: SourcePlace): number => ('processLine' in place ? place.processLine : place.line);

/** A button that shows the policy text at `place` below itself, and hides it again. */
export function SourceLink({ place, label }: { place: SourcePlace; label?: string }) {
  const [open, setOpen] = useState(false);
  const panel = useId();
  const line = lineOf(place);
  return (
    <>
      <button
        type="button"
        className="source-link"
        aria-expanded={open}
        aria-controls={panel}
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true">{open ? '▾' : '▸'}</span> {label ?? `policy line ${line}`}
      </button>
      <div id={panel} className="source-panel" hidden={!open}>
        {open ? <Excerpt place={place} /> : null}
      </div>
    </>
  );
}

function usePolicySources(name: string | null, version: number | null) {
  const [state, setState] = useState<{ data: PolicySources | null; error: ApiFailure | null }>({
    data: null,
    error: null,
  });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (name === null || version === null) return undefined;
    let gone = false;
    readPolicySources(name, version)
      .then((data) => !gone && setState({ data, error: null }))
      .catch((error: unknown) => {
        if (gone) return;
        const failure = asFailure(error);
        setState({ data: null, error: failure });
      });
    return () => {
      gone = true;
    };
  }, [name, version, attempt]);
  return { ...state, retry: () => setAttempt((n) => n + 1) };
}

function Excerpt({ place }: { place: SourcePlace }) {
  const policy = useContext(PolicyContext);
  const { data, error, retry } = usePolicySources(policy?.name ?? null, policy?.version ?? null);
  if (error) return <ErrorNotice failure={error} title="Could not load the policy text" onRetry={retry} />;
  if (data === null || policy === null) return <Loading what="the policy text" />;
  const span: SourceSpan =
    'processLine' in place
      ? {
          file: data.processFile.get(policy.process) ?? 0,
          line: place.processLine,
          col: 0,
          endLine: place.processLine,
          endCol: 0,
        }
      : place;
  const source = data.sources[span.file];
  if (source === undefined) {
    return <p className="field-problem">This policy version has no source file number {span.file}.</p>;
  }
  return <ExcerptText path={source.path} text={source.text} span={span} />;
}

function ExcerptText({ path, text, span }: { path: string; text: string; span: SourceSpan }) {
  const lines = text.split(/\r?\n/);
  const last = Math.min(span.endLine, span.line + MAX_LINES - 1);
  const from = Math.max(1, span.line - AROUND);
  const to = Math.min(lines.length, last + AROUND);
  const where = last > span.line ? `lines ${span.line}–${last}` : `line ${span.line}`;
  const shown = [];
  for (let n = from; n <= to; n += 1) {
    const hit = n >= span.line && n <= last;
    shown.push(
      <span key={n} className={hit ? 'excerpt-line excerpt-hit' : 'excerpt-line'}>
        <span className="excerpt-no">{n}</span>
        <span className="excerpt-text">
          {hit ? <Marked text={lines[n - 1] ?? ''} n={n} span={span} /> : (lines[n - 1] ?? '')}
        </span>
      </span>,
    );
  }
  return (
    <figure className="excerpt">
      <figcaption>
        <code>{path}</code>, {where}
      </figcaption>
      <pre>
        <code>{shown}</code>
      </pre>
    </figure>
  );
}

/** The exact columns of a span on its line, marked; a whole line when the place is a line. */
function Marked({ text, n, span }: { text: string; n: number; span: SourceSpan }) {
  if (span.col < 1) return <mark>{text}</mark>;
  // Columns are 1-based; the end column is exclusive and belongs to the span's last line.
  const start = n === span.line ? span.col - 1 : 0;
  const end = n === span.endLine ? Math.max(start, span.endCol - 1) : text.length;
  return (
    <>
      {text.slice(0, start)}
      <mark>{text.slice(start, end)}</mark>
      {text.slice(end)}
    </>
  );
}
