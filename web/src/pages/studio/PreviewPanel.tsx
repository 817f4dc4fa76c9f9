// The studio's preview: the diagram of one process of the draft, drawn with the instance page's
// layout and shapes, redrawn whenever the draft checks clean. While the draft has errors the last
// good diagram stays, said to be out of date. Once the tests have run, each step is marked covered
// (✓), partly covered (◐) or not covered (✕), with a legend, the counts in words, and the steps
// as a list for screen readers and keyboards (the picture is one image to them). After a Try-it
// run the same marks say what that run reached, until the tests run again.
import { useId, useMemo, useRef, useState } from 'react';
import type { CompiledPolicy } from '../../../../engine/ir/types.js';
import { DiagramCanvas } from '../instance/DiagramCanvas.js';
import { kindWord, nodeName } from '../instance/format.js';
import type { CheckedDraft } from './problems.js';
import { errorCount } from './problems.js';
import {
  compileDraft,
  COVERAGE_LOOK,
  COVERAGE_ORDER,
  COVERAGE_WORD,
  type CoverageTone,
  coverageSummary,
  coverageTones,
  type PreviewGraph,
  previewGraph,
  REACHED_LOOK,
  REACHED_WORD,
  triedReport,
  type TriedRun,
} from './preview.js';
import type { TestReport } from './tests-run.js';

/**
 * The draft compiled after each clean check (`now`, null while it has errors), and the last one
 * that compiled (`lastGood`), which the preview keeps showing while the errors are fixed.
 */
export function usePreviewCompile(
  checked: (CheckedDraft & { files: Record<string, string> }) | null,
  entry: string | null,
): { now: CompiledPolicy | null; lastGood: CompiledPolicy | null } {
  const now = useMemo(
    () =>
      checked && entry !== null && errorCount(checked.problems) === 0
        ? compileDraft({ entry, files: checked.files })
        : null,
    [checked],
  );
  const lastGood = useRef(now);
  if (now !== null) lastGood.current = now;
  return { now, lastGood: lastGood.current };
}

interface PreviewPanelProps {
  /** The last draft that compiled, or null when none has yet. */
  compiled: CompiledPolicy | null;
  /** The draft now has errors: what is shown is the last good one. */
  outOfDate: boolean;
  /** The last test run's report, or null when the tests have not run on this policy. */
  report: TestReport | null;
  /** A Try-it run played after the tests last ran: its marks replace theirs. */
  tried: TriedRun | null;
}

export function PreviewPanel({ compiled, outOfDate, report, tried }: PreviewPanelProps) {
  const headingId = useId();
  const pickerId = useId();
  const [chosen, setChosen] = useState('');
  const processes = compiled?.ir.processes ?? [];
  const process = processes.find((p) => p.name === chosen) ?? processes[0];
  const graph = useMemo(() => (process ? previewGraph(process) : null), [process]);
  return (
    <section className="card studio-preview" aria-labelledby={headingId}>
      <h2 id={headingId}>Preview</h2>
      {outOfDate && compiled ? (
        <p className="notice notice-warning studio-preview-stale" role="status">
          Out of date: fix the errors. The diagram shows the draft as it last checked clean.
        </p>
      ) : null}
      {compiled === null || graph === null ? (
        <p className="state state-empty">
          {compiled === null
            ? 'The diagram appears once the draft checks clean.'
            : 'The policy declares no process to draw.'}
        </p>
      ) : (
        <>
          {processes.length > 1 ? (
            <div className="field studio-process-picker">
              <label htmlFor={pickerId}>Process</label>
              <select id={pickerId} value={graph.process} onChange={(e) => setChosen(e.target.value)}>
                {processes.map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <StudioDiagram graph={graph} marks={marksOf(compiled, graph, report, tried)} />
        </>
      )}
    </section>
  );
}

/** What the diagram marks: the tests' coverage or a Try-it run's reach, in their own words. */
interface Marks {
  report: TestReport;
  look: typeof COVERAGE_LOOK;
  words: typeof COVERAGE_WORD;
  /** Said before the counts: whose marks these are. */
  lead: string;
}

function marksOf(
  compiled: CompiledPolicy,
  graph: PreviewGraph,
  report: TestReport | null,
  tried: TriedRun | null,
): Marks | string | null {
  if (tried === null) return report ? { report, look: COVERAGE_LOOK, words: COVERAGE_WORD, lead: '' } : null;
  const name = `The Try-it run \u201c${tried.name}\u201d`;
  if (tried.process !== graph.process)
    return `${name} ran ${tried.process}: pick it above to see what it reached`;
  const stale = tried.policy === compiled.sha256 ? '' : ' (run before the last change)';
  return {
    report: triedReport(compiled, tried),
    look: REACHED_LOOK,
    words: REACHED_WORD,
    lead: `${name}${stale}: `,
  };
}

function StudioDiagram({ graph, marks }: { graph: PreviewGraph; marks: Marks | string | null }) {
  const shown = typeof marks === 'string' ? null : marks;
  const tones = coverageTones(graph.nodes, graph.process, shown?.report ?? null);
  const look = shown?.look ?? COVERAGE_LOOK;
  const words = shown?.words ?? COVERAGE_WORD;
  const steps = graph.nodes.filter((n) => !n.id.startsWith('#')).length;
  const summary = shown
    ? `${shown.lead}${coverageSummary(tones, words)}`
    : typeof marks === 'string'
      ? marks
      : `${steps} ${steps === 1 ? 'step' : 'steps'}; run the tests to see which ones they cover`;
  return (
    <div className="diagram studio-diagram">
      {shown ? <CoverageLegend look={look} words={words} /> : null}
      <DiagramCanvas
        process={graph.process}
        nodes={graph.nodes}
        edges={graph.edges}
        summary={summary}
        lookOf={(node) => look[tones.get(node.id) ?? 'untested']}
      />
      <p className="diagram-summary">{summary}.</p>
      <details className="diagram-steps">
        <summary>The steps as a list</summary>
        <ol>
          {graph.nodes.map((node) => {
            const tone: CoverageTone = tones.get(node.id) ?? 'untested';
            return (
              <li key={node.id} className={`studio-step-${tone}`}>
                {tone !== 'untested' ? (
                  <span className="step-mark" aria-hidden="true">
                    {look[tone].mark}{' '}
                  </span>
                ) : null}
                <strong>{nodeName(node)}</strong> <span className="step-kind">({kindWord(node.kind)})</span>,
                line {node.line}
                {tone !== 'untested' ? `: ${words[tone]}` : ''}
              </li>
            );
          })}
        </ol>
      </details>
    </div>
  );
}

function CoverageLegend({ look, words }: Pick<Marks, 'look' | 'words'>) {
  return (
    <ul className="diagram-legend" aria-label="What the marks mean">
      {COVERAGE_ORDER.map((tone) => (
        <li key={tone} className={`legend-${tone}`}>
          <span className="legend-swatch" aria-hidden="true">
            {look[tone].mark}
          </span>
          {words[tone]}
        </li>
      ))}
    </ul>
  );
}
