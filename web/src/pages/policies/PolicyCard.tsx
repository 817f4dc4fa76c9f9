// One policy on the Policies page: its name and owner, which version new requests start under
// today (or why none does), and its versions newest first with their effective day, what each is
// now (in force, retired with who, when and why, waiting for its day, or left behind by a newer
// one), who published it and why (the author's note, when one was given). For pmo and admins, a
// Retire button per version and one for the whole policy; the page opens the confirmation. Status
// is said in words, never by colour alone. With two versions or more, a link to what the newest
// changed (DiffView, where any two are chosen).
import { useId } from 'react';
import { PersonId } from '../../components/PersonId.js';
import { dayText, instantText, type PolicyEntry, type Retired, type VersionRow } from './catalogue.js';
import { Link } from '../../app/router.js';
import { compareHref } from './comparison.js';

interface PolicyCardProps {
  entry: PolicyEntry;
  canRetire: boolean;
  /** When the instances per version were last counted; null: not yet. */
  countedAt: string | null;
  /** Opens the confirmation for a version, or with null for the whole policy. */
  onRetire: (version: number | null) => void;
}

/** "12 (3 running)", with how the others ended for whoever wants it. */
function InstancesText({ instances: n }: { instances: VersionRow['version']['instances'] }) {
  if (n.started === 0) return <span className="muted">None</span>;
  const ended = [
    ['approved', n.approved],
    ['rejected', n.rejected],
    ['cancelled', n.cancelled],
  ].filter(([, count]) => count !== 0);
  return (
    <>
      {n.started}
      {n.running > 0 ? ` (${n.running} running)` : ''}
      {ended.length > 0 ? (
        <span className="field-help policy-instances-ended">
          {' '}
          {ended.map(([what, count]) => `${count} ${what}`).join(', ')}
        </span>
      ) : null}
    </>
  );
}

function RetiredText({ retired }: { retired: Retired }) {
  return (
    <>
      on <time dateTime={retired.at}>{instantText(retired.at)}</time> by <PersonId id={retired.by} />:{' '}
      <q className="policy-reason">{retired.reason}</q>
      {retired.wholePolicy ? ' (the whole policy)' : ''}
    </>
  );
}

function headline(entry: PolicyEntry) {
  if (entry.retired !== null) {
    return (
      <>
        <strong>Retired:</strong> no new request starts under it. Retired{' '}
        <RetiredText retired={entry.retired} />
      </>
    );
  }
  if (entry.inForce !== null) {
    return (
      <>
        New requests start under <strong>version {entry.inForce}</strong>.
      </>
    );
  }
  const upcoming = entry.versions.some((v) => v.state.kind === 'upcoming');
  return (
    <>
      <strong>No version is in force</strong>:{' '}
      {upcoming ? 'the next one waits for its effective day.' : 'every effective version is retired.'}
    </>
  );
}

function State({ row }: { row: VersionRow }) {
  const { state } = row;
  switch (state.kind) {
    case 'inForce':
      return <span className="badge badge-approved">In force now</span>;
    case 'retired':
      return (
        <>
          <span className="badge badge-cancelled">Retired</span>{' '}
          <span className="policy-retired">
            <RetiredText retired={state.retired} />
          </span>
        </>
      );
    case 'upcoming':
      return <span className="badge badge-pending">Waits for {dayText(row.version.effective)}</span>;
    case 'superseded':
      return (
        <>
          <span className="badge badge-skipped">Not in force</span>{' '}
          <span className="muted">version {state.by} is newer</span>
        </>
      );
  }
}

/** The newest version against the one before it; the comparison page lets any two be chosen. */
function CompareLink({ entry }: { entry: PolicyEntry }) {
  const [newest, previous] = entry.versions.map((row) => row.version.version);
  if (newest === undefined || previous === undefined) return null;
  return (
    <p className="policy-compare-link">
      <Link to={compareHref({ name: entry.name, from: previous, to: newest })}>
        What changed from version {previous} to {newest}
        <span className="visually-hidden"> of {entry.name}</span>
      </Link>{' '}
      <span className="muted">(or compare any two versions there)</span>
    </p>
  );
}

export function PolicyCard({ entry, canRetire, countedAt, onRetire }: PolicyCardProps) {
  const headingId = useId();
  const retirable = canRetire && entry.retired === null;
  return (
    <li className="card policy-entry">
      <section aria-labelledby={headingId}>
        <div className="policy-entry-head">
          <h2 id={headingId}>{entry.name}</h2>
          {retirable ? (
            <button type="button" className="button button-danger" onClick={() => onRetire(null)}>
              Retire the policy<span className="visually-hidden"> {entry.name}</span>
            </button>
          ) : null}
        </div>
        <p className="policy-meta">
          {entry.owner ? (
            <>
              Owner <PersonId id={entry.owner} />.{' '}
            </>
          ) : null}
          {headline(entry)}
        </p>
        <div className="table-wrap">
          <table className="data stack-table policy-versions">
            <caption className="visually-hidden">Versions of {entry.name}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Effective</th>
                <th scope="col">Now</th>
                <th scope="col">Instances</th>
                <th scope="col">Published</th>
                {retirable ? (
                  <th scope="col">
                    <span className="visually-hidden">Action</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {entry.versions.map((row) => (
                <tr key={row.version.version}>
                  <th scope="row" data-label="Version">
                    {row.version.version}
                  </th>
                  <td data-label="Effective">{dayText(row.version.effective)}</td>
                  <td data-label="Now">
                    <State row={row} />
                  </td>
                  <td data-label="Instances">
                    <InstancesText instances={row.version.instances} />
                  </td>
                  <td data-label="Published">
                    {instantText(row.version.publishedAt)} by <PersonId id={row.version.publishedBy} />
                    {row.version.note !== null ? (
                      <p className="policy-note">
                        <span className="policy-note-label">Why this change:</span> <q>{row.version.note}</q>
                      </p>
                    ) : null}
                  </td>
                  {retirable ? (
                    <td data-label="Action">
                      {row.state.kind === 'retired' ? (
                        <span className="muted">Retired</span>
                      ) : (
                        <button
                          type="button"
                          className="button"
                          onClick={() => onRetire(row.version.version)}
                        >
                          Retire version {row.version.version}
                          <span className="visually-hidden"> of {entry.name}</span>
                        </button>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="field-help policy-counted">
          {countedAt === null
            ? 'Instances are counted once the dashboards have read the signed ledger; none counted yet.'
            : `Instances as the dashboards counted them from the signed ledger at ${instantText(countedAt)}.`}
        </p>
        <CompareLink entry={entry} />
      </section>
    </li>
  );
}
