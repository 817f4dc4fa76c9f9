// The portfolio screens: /portfolio is the list of projects (everyone reads it), /portfolio/<code>
// one project; for the PMO and admins also /portfolio/new (create, prefilled from the query, as
// the unlinked list links to it), /portfolio/import (a CSV file checked, then imported) and
// /portfolio/unlinked (project texts of instances that name no project, and the setting that
// makes starts name a known one). Codes are capitals, so `new`, `import` and `unlinked` are never
// a project's code. The screens the API would refuse are not offered: they say so instead.
import type { ReactNode } from 'react';
import { Link, match } from '../../app/router.js';
import { ImportProjects } from './ImportProjects.js';
import { NewProject } from './NewProject.js';
import { PortfolioList } from './PortfolioList.js';
import { useMayWrite } from './ProjectFacts.js';
import { ProjectPage } from './ProjectPage.js';
import { UnlinkedProjects } from './UnlinkedProjects.js';

type Screen = 'list' | 'new' | 'import' | 'unlinked';

const SCREENS: { screen: Screen; to: string; label: string; writers: boolean }[] = [
  { screen: 'list', to: '/portfolio', label: 'Projects', writers: false },
  { screen: 'new', to: '/portfolio/new', label: 'New project', writers: true },
  { screen: 'import', to: '/portfolio/import', label: 'Import and export', writers: true },
  { screen: 'unlinked', to: '/portfolio/unlinked', label: 'Unlinked instances', writers: true },
];

export function PortfolioPage({ path }: { path: string }) {
  const mayWrite = useMayWrite();
  const screen = SCREENS.find((s) => s.to === path.replace(/\/+$/, ''))?.screen;
  if (screen === undefined) {
    const code = match('/portfolio/:code', path)?.['code'];
    return code === undefined ? <NotHere /> : <ProjectPage key={code} code={code} />;
  }
  const writersOnly = SCREENS.find((s) => s.screen === screen)?.writers === true;
  let body: ReactNode;
  if (writersOnly && !mayWrite) body = <WritersOnly />;
  else if (screen === 'new') body = <NewProject />;
  else if (screen === 'import') body = <ImportProjects />;
  else if (screen === 'unlinked') body = <UnlinkedProjects />;
  else body = <PortfolioList />;
  return (
    <section className="page portfolio" aria-labelledby="portfolio-title">
      <h1 id="portfolio-title">Portfolio</h1>
      <PortfolioNav current={screen} mayWrite={mayWrite} />
      {body}
    </section>
  );
}

function PortfolioNav({ current, mayWrite }: { current: Screen; mayWrite: boolean }) {
  const shown = SCREENS.filter((s) => mayWrite || !s.writers);
  if (shown.length < 2) return null;
  return (
    <nav aria-label="Portfolio" className="portfolio-nav">
      <ul>
        {shown.map((s) => (
          <li key={s.screen}>
            <Link to={s.to} aria-current={s.screen === current ? 'page' : undefined}>
              {s.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function WritersOnly() {
  return (
    <p className="notice notice-warning">
      Only the PMO and admins change the portfolio. <Link to="/portfolio">See the projects</Link>.
    </p>
  );
}

function NotHere() {
  return (
    <section className="page portfolio">
      <h1>No such page</h1>
      <p>
        <Link to="/portfolio">Back to the portfolio</Link>
      </p>
    </section>
  );
}
