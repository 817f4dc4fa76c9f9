// The studio's preview: the diagram of one process of the draft, drawn with the instance page's
// layout and shapes, redrawn whenever the draft checks clean. While the draft has errors the last
// good diagram stays, said to be out of date. Once the tests have run, each step is marked covered
// (✓), partly covered (◐) or not covered (✕), with a legend, the counts in words, and the steps
// as a list for screen readers and keyboards (the picture is one image to them).
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
}

export function PreviewPanel({ compiled, outOfDate, report }: PreviewPanelProps) {
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
          <StudioDiagram graph={graph} report={report} />
        </>
      )}
    </section>
  );
}

function StudioDiagram({ graph, report }: { graph: PreviewGraph; report: TestReport | null }) {
  const tones = coverageTones(graph.nodes, graph.process, report);
  const steps = graph.nodes.filter((n) => !n.id.startsWith('#')).length;
  const summary = report
    ? coverageSummary(tones)
    : `${steps} ${steps === 1 ? 'step' : 'steps'}; run the tests to see which ones they cover`;
  return (
    <div className="diagram studio-diagram">
      {report ? <CoverageLegend /> : null}
      <DiagramCanvas
        process={graph.process}
        nodes={graph.nodes}
        edges={graph.edges}
        summary={summary}
        lookOf={(node) => COVERAGE_LOOK[tones.get(node.id) ?? 'untested']}
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
                    {COVERAGE_LOOK[tone].mark}{' '}
                  </span>
                ) : null}
                <strong>{nodeName(node)}</strong> <span className="step-kind">({kindWord(node.kind)})</span>,
                line {node.line}
                {tone !== 'untested' ? `: ${COVERAGE_WORD[tone]}` : ''}
              </li>
            );
          })}
        </ol>
      </details>
    </div>
  );
}

function CoverageLegend() {
  return (
    <ul className="diagram-legend" aria-label="What the marks mean">
      {COVERAGE_ORDER.map((tone) => (
        <li key={tone} className={`legend-${tone}`}>
          <span className="legend-swatch" aria-hidden="true">
            {COVERAGE_LOOK[tone].mark}
          </span>
          {COVERAGE_WORD[tone]}
        </li>
      ))}
    </ul>
  );
}
