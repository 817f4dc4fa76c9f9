// The editor's tabs: the policy's source, its tests, and a scenario to try (built in a form and
// played on the simulator), as the WAI-ARIA tabs pattern has them: one tab stop for the list, Left/Right (and Home/End) move between the tabs and show
// them, the panel follows. The source panel stays mounted while hidden, so the editor keeps its
// text, selection and undo history across switches; the others stay mounted too, so a half-built
// scenario survives a look at the source.
import { type KeyboardEvent, type ReactNode, useId, useRef } from 'react';

export type StudioTab = 'source' | 'tests' | 'scenario';

const ORDER: readonly StudioTab[] = ['source', 'tests', 'scenario'];

interface StudioTabsProps {
  tab: StudioTab;
  onTab: (tab: StudioTab) => void;
  testsLabel: string;
  source: ReactNode;
  tests: ReactNode;
  scenario: ReactNode;
}

export function StudioTabs({ tab, onTab, testsLabel, source, tests, scenario }: StudioTabsProps) {
  const base = useId();
  const buttons = useRef<Record<StudioTab, HTMLButtonElement | null>>({
    source: null,
    tests: null,
    scenario: null,
  });
  const tabId = (t: StudioTab) => `${base}-tab-${t}`;
  const panelId = (t: StudioTab) => `${base}-panel-${t}`;
  const labels: Record<StudioTab, string> = {
    source: 'Policy source',
    tests: testsLabel,
    scenario: 'Try it',
  };
  const panels: Record<StudioTab, ReactNode> = { source, tests, scenario };

  const move = (event: KeyboardEvent<HTMLButtonElement>): void => {
    const at = ORDER.indexOf(tab);
    const next =
      event.key === 'ArrowRight'
        ? ORDER[(at + 1) % ORDER.length]
        : event.key === 'ArrowLeft'
          ? ORDER[(at - 1 + ORDER.length) % ORDER.length]
          : event.key === 'Home'
            ? ORDER[0]
            : event.key === 'End'
              ? ORDER[ORDER.length - 1]
              : undefined;
    if (next === undefined) return;
    event.preventDefault();
    onTab(next);
    buttons.current[next]?.focus();
  };

  return (
    <div className="studio-tabs">
      <div role="tablist" aria-label="Editor" className="studio-tablist">
        {ORDER.map((t) => (
          <button
            key={t}
            ref={(el) => {
              buttons.current[t] = el;
            }}
            id={tabId(t)}
            type="button"
            role="tab"
            className="studio-tab"
            aria-selected={tab === t}
            aria-controls={panelId(t)}
            tabIndex={tab === t ? 0 : -1}
            onClick={() => onTab(t)}
            onKeyDown={move}
          >
            {labels[t]}
          </button>
        ))}
      </div>
      {ORDER.map((t) => (
        <div
          key={t}
          id={panelId(t)}
          role="tabpanel"
          aria-labelledby={tabId(t)}
          className="studio-tabpanel"
          hidden={tab !== t}
        >
          {panels[t]}
        </div>
      ))}
    </div>
  );
}
