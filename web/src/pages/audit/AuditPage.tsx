// The audit screen, for auditors, the PMO and admins: search the ledger (the search lives in the
// URL, so it can be bookmarked and shared), page through its events, download them as a file the
// chain can be re-verified from, verify the hash chains, and read the compliance summary. The
// ledger's signed tree heads and their keys sit below, and each event opens its inclusion proof.
import { api, unwrap } from '../../api-client/client.js';
import { navigate, useLocation } from '../../app/router.js';
import { usePagedList } from '../../app/paged-list.js';
import { AuditEvents, type AuditEvent } from './AuditEvents.js';
import { AuditFilterForm } from './AuditFilterForm.js';
import { type AuditFilter, apiQuery, exportHref, filterOf, queryOf, withoutPeriod } from './filter.js';
import { HeadsPanel } from './HeadsPanel.js';
import { SummaryPanel } from './SummaryPanel.js';
import { VerifyPanel } from './VerifyPanel.js';

const PAGE_SIZE = 50;

export function AuditPage() {
  const { query } = useLocation();
  const filter = filterOf(query);
  const key = queryOf(filter);
  const apply = (next: AuditFilter): void => {
    const q = queryOf(next);
    navigate(`/audit${q === '' ? '' : `?${q}`}`, { replace: true });
  };

  const events = usePagedList<AuditEvent>(
    `audit:${key}`,
    (cursor) =>
      unwrap(
        api.GET('/v1/audit/events', {
          params: {
            query: { ...apiQuery(filter), limit: PAGE_SIZE, ...(cursor === null ? {} : { cursor }) },
          },
        }),
      ),
    (e) => e.id,
  );
  // A 422 names the fields of the search that are wrong; they are shown at those fields.
  const failure = events.first.data === null ? events.first.error : null;
  const problems = failure?.status === 422 ? failure.problemsUnder('query') : [];

  return (
    <section className="page audit" aria-labelledby="audit-title">
      <h1 id="audit-title">Audit ledger</h1>
      <p className="lead">
        Every fact Charter recorded, with who acted and on whose behalf. Search it, download it, and check
        that nothing was changed.
      </p>
      <AuditFilterForm filter={filter} problems={problems} onApply={apply} />
      <div className="audit-tools">
        <Downloads filter={filter} blocked={problems.length > 0} />
        <VerifyPanel instance={filter.instance ?? ''} onShowInstance={(instance) => apply({ instance })} />
        <SummaryPanel filter={filter} />
      </div>
      <HeadsPanel />
      <AuditEvents
        list={events}
        filter={filter}
        refused={problems.length > 0}
        onWiden={() => apply(withoutPeriod(filter))}
        onClear={() => apply({})}
      />
    </section>
  );
}

function Downloads({ filter, blocked }: { filter: AuditFilter; blocked: boolean }) {
  return (
    <section className="card audit-downloads" aria-labelledby="audit-downloads-title">
      <h2 id="audit-downloads-title">Download</h2>
      {blocked ? (
        <p>Fix the search first: the marked fields were refused.</p>
      ) : (
        <>
          <p className="field-help">
            Every event this search matches (not only those shown), with the hashes that let the chains be
            verified from the file alone.
          </p>
          <p className="actions">
            <a className="button" href={exportHref(filter, 'csv')} download>
              Download CSV
            </a>
            <a className="button" href={exportHref(filter, 'jsonl')} download>
              Download JSON Lines
            </a>
          </p>
          {filter.instance ? <EvidenceBundle instance={filter.instance} /> : null}
        </>
      )}
    </section>
  );
}

/**
 * One instance's evidence for an auditor to take away (GET /v1/audit/evidence/{id}): its policy
 * source and IR hash, its events with their inclusion proofs, and the signed head they are under.
 */
function EvidenceBundle({ instance }: { instance: string }) {
  return (
    <>
      <h3 className="audit-evidence-title">Evidence bundle</h3>
      <p className="field-help">
        For instance <code>{instance}</code>: its policy source and hash, its events, each event&apos;s
        inclusion proof and the signed head they are under, in one JSON file.
      </p>
      <p className="actions">
        <a className="button" href={`/v1/audit/evidence/${encodeURIComponent(instance)}`} download>
          Download evidence bundle
        </a>
      </p>
    </>
  );
}
