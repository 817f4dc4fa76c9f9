// The studio's preview: the diagram of one process of the draft, drawn with the instance page's
// layout and shapes, redrawn whenever the draft checks clean. While the draft has errors the last
// good diagram stays, said to be out of date. Once the tests have run, each step is marked covered
// (✓), partly covered (◐) or not covered (✕), with a legend, the counts in words, and the steps
// as a list for screen readers and keyboards (the picture is one image to them).
import { useId, useMemo, useRef, useState } from 'react';
import type { CompiledPolicy } from '../../../../engine/ir/types.js';
import { layoutDiagram } from '../instance/diagram-layout.js';
import { ArrowMarkers, DiagramEdge, DiagramNode } from '../instance/DiagramShapes.js';
import { kindWord, nodeName } from '../instance/format.js';
import { measure } from '../instance/ProcessDiagram.js';
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

const SMALLEST_SCALE = 0.75;

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
  const arrow = `arrow${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const layout = useMemo(() => layoutDiagram(graph.nodes, graph.edges, measure), [graph]);
  const tones = coverageTones(graph.nodes, graph.process, report);
  const steps = graph.nodes.filter((n) => !n.id.startsWith('#')).length;
  const summary = report
    ? coverageSummary(tones)
    : `${steps} ${steps === 1 ? 'step' : 'steps'}; run the tests to see which ones they cover`;
  return (
    <div className="diagram studio-diagram">
      {report ? <CoverageLegend /> : null}
      <div
        className="diagram-scroll"
        tabIndex={0}
        role="group"
        aria-label="Process diagram, scrolls when wider than the screen"
      >
        <svg
          role="img"
          aria-label={`Diagram of ${graph.process}: ${summary}`}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          width={layout.width}
          height={layout.height}
          style={{
            width: '100%',
            height: 'auto',
            maxWidth: layout.width,
            minWidth: Math.round(layout.width * SMALLEST_SCALE),
          }}
        >
          <ArrowMarkers arrow={arrow} />
          {layout.edges.map((placed, i) => (
            <DiagramEdge
              key={`${placed.edge.from}>${placed.edge.to}#${i}`}
              placed={placed}
              taken={false}
              arrow={arrow}
            />
          ))}
          {layout.nodes.map((placed) => (
            <DiagramNode
              key={placed.node.id}
              placed={placed}
              look={COVERAGE_LOOK[tones.get(placed.node.id) ?? 'untested']}
            />
          ))}
        </svg>
      </div>
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
