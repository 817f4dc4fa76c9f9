// Starting a request, in two steps: /start lists the processes of the policies in effect, and
// /start/<policy>/<version>/<process> is that process's form (`?from=<instance>` fills it from an
// earlier request). Requesters reach it from the menu and from "withdraw and start again".
import { ProcessChooser } from './ProcessChooser.js';
import { type ProcessChoice, StartForm } from './StartForm.js';

export function StartPage({ choice }: { choice: ProcessChoice | null }) {
  if (choice !== null && Number.isInteger(choice.version) && choice.version > 0) {
    return (
      <section className="page start-page" aria-labelledby="start-title">
        <StartForm choice={choice} />
      </section>
    );
  }
  return (
    <section className="page start-page" aria-labelledby="start-title">
      <h1 id="start-title">Start a request</h1>
      {choice !== null ? (
        <p className="notice notice-warning" role="status">
          <code>{String(choice.version)}</code> is not a policy version: pick the process again below.
        </p>
      ) : null}
      <p className="lead">
        Pick the process for what you need. Each runs under the version of its policy in effect today, and you
        follow it under My requests.
      </p>
      <ProcessChooser />
    </section>
  );
}
