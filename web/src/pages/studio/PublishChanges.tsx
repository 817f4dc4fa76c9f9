// The confirmation's "what changes": when a version of the policy is already published, the
// draft's process changes against the version in force (the Policies screen's ProcessChanges),
// the source lines that differ (its SourceDiff, folded), and the impact of the draft on the last
// finished requests of that version, every one listed with what would have gone differently
// (ImpactList). Each part has its own loading and error state; an impact that cannot be
// computed says why, and publishing stays possible: the author decides.
import { useEffect, useId, useState } from 'react';
import type { CompiledPolicy } from '../../../../engine/ir/types.js';
import { type ApiFailure, asFailure } from '../../api-client/client.js';
import { ErrorNotice, Loading } from '../../components/states.js';
import { ProcessChanges } from '../policies/ProcessChanges.js';
import { SourceDiff } from '../policies/SourceDiff.js';
import type { Draft } from './draft.js';
import { ImpactList } from './ImpactList.js';
import { type Baseline, baselineOf, changesOf, type DraftChanges } from './publish-changes.js';

type Read<T> = { kind: 'loading' } | { kind: 'failed'; failure: ApiFailure } | { kind: 'done'; value: T };

interface PublishChangesProps {
  name: string;
  draft: Draft;
  compiled: CompiledPolicy;
}

export function PublishChanges({ name, draft, compiled }: PublishChangesProps) {
  const headingId = useId();
  const [base, setBase] = useState<Read<Baseline | null>>({ kind: 'loading' });
  const [changes, setChanges] = useState<Read<DraftChanges>>({ kind: 'loading' });

  useEffect(() => {
    let live = true;
    const failed = (error: unknown) => ({ kind: 'failed' as const, failure: asFailure(error) });
    baselineOf(name).then(
      (found) => {
        if (!live) return;
        setBase({ kind: 'done', value: found });
        if (found === null) return;
        changesOf(name, found, draft, compiled).then(
          (value) => live && setChanges({ kind: 'done', value }),
          (error: unknown) => live && setChanges(failed(error)),
        );
      },
      (error: unknown) => live && setBase(failed(error)),
    );
    return () => {
      live = false;
    };
    // Read once per confirmation: the draft does not change while the dialog is open.
  }, []);

  if (base.kind === 'loading') return <Loading what="the version in force" />;
  if (base.kind === 'failed')
    return <ErrorNotice failure={base.failure} title="Could not read the published versions" />;
  if (base.value === null) {
    return (
      <p className="notice notice-ok">This is the first version of {name}: nothing published changes.</p>
    );
  }
  const { version, inForce } = base.value;
  return (
    <section className="studio-publish-changes" aria-labelledby={headingId}>
      <h3 id={headingId}>
        What changes from version {version}
        {inForce ? ' (in force)' : ' (the newest; none is in force)'}
      </h3>
      {changes.kind === 'loading' ? <Loading what={`the changes from version ${version}`} /> : null}
      {changes.kind === 'failed' ? (
        <ErrorNotice failure={changes.failure} title="The changes could not be read" />
      ) : null}
      {changes.kind === 'done' ? <Changes changes={changes.value} /> : null}
      <h3>Impact on finished requests</h3>
      <ImpactList name={name} base={base.value} draft={draft} />
    </section>
  );
}

function Changes({ changes }: { changes: DraftChanges }) {
  const processes = changes.diff.processes.filter((p) => p.status !== 'same');
  const sources = changes.sources.filter((s) => s.status !== 'same');
  const definitions = changes.diff.definitions;
  if (processes.length === 0 && sources.length === 0 && definitions.length === 0) {
    return <p className="muted">The draft reads the same as version {changes.base.version}.</p>;
  }
  return (
    <div className="studio-changes">
      {processes.length === 0 ? <p className="muted">No process changes.</p> : null}
      {processes.map((p) => (
        <ProcessChanges key={p.name} process={p} />
      ))}
      {definitions.length > 0 ? (
        <ul className="studio-definitions">
          {definitions.map((d) => (
            <li key={`${d.kind}:${d.name}`}>
              {d.kind} <code>{d.name}</code> {d.status}
              {d.after !== null ? (
                <>
                  : <code>{d.after}</code>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {sources.length > 0 ? (
        <details className="studio-source-changes">
          <summary>Source lines changed</summary>
          {sources.map((s) => (
            <SourceDiff key={s.path} source={s} />
          ))}
        </details>
      ) : null}
    </div>
  );
}
