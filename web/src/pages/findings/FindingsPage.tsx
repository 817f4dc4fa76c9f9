// The findings screens, for everyone: /findings lists the findings of the policies' protocol
// monitors (filters in the URL) with the report of open findings by project and age under it;
// /findings/<id> is one finding (FindingView.tsx), where its people act on it. A finding is about
// a project, not a person, so everyone reads every finding; only what they may do differs.
import { FindingsList } from './FindingsList.js';
import { FindingsReport } from './FindingsReport.js';
import { FindingView } from './FindingView.js';

export function FindingsPage({ id }: { id: string | null }) {
  if (id !== null) return <FindingView key={id} id={id} />;
  return (
    <section className="page portfolio findings" aria-labelledby="findings-title">
      <h1 id="findings-title">Findings</h1>
      <p className="lead">
        What the policies’ monitors found wrong with projects on their scheduled runs: each finding is owned
        by the people the monitor names, due by its deadline, and ends when it is resolved, waived, or a later
        run finds the project passing.
      </p>
      <FindingsList />
      <FindingsReport />
    </section>
  );
}
