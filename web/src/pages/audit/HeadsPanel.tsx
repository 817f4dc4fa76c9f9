// The ledger's signed tree heads (issue 17), for auditors, the PMO and admins: the newest head
// (how many events it covers, its root, when and with which key it was signed) to download and
// keep outside Charter, the earlier heads a page at a time, and the public keys to check them
// with. Auditors and admins can ask the signer to run now instead of waiting for its schedule.
// What a head is and how to check it: engine/ledger/FORMAT.md.
import { useId, useRef, useState } from 'react';
import {
  api,
  type ApiFailure,
  asFailure,
  idempotencyKey,
  type paths,
  unwrap,
} from '../../api-client/client.js';
import { usePagedList } from '../../app/paged-list.js';
import { hasRole, useSignedIn } from '../../app/session.js';
import { Empty, ErrorNotice, Loading } from '../../components/states.js';
import { showInstant } from './filter.js';
import { EarlierHeads, SigningKeys } from './HeadHistory.js';
import { HashValue, plural, saveHead, type SignedHead } from './ledger-parts.js';

type SignAnswer = paths['/v1/audit/heads']['post']['responses']['200']['content']['application/json'];

/** Heads per page: a head is signed every 10 minutes at most, so 10 is the last hour and more. */
const PAGE_SIZE = 10;

export function HeadsPanel() {
  const id = useId();
  const who = useSignedIn();
  const heads = usePagedList<SignedHead>(
    'audit:heads',
    async (cursor) => {
      const page = await unwrap(
        api.GET('/v1/audit/heads', {
          params: { query: { limit: PAGE_SIZE, ...(cursor === null ? {} : { before: Number(cursor) }) } },
        }),
      );
      return { items: page.items, nextCursor: page.nextBefore === null ? null : String(page.nextBefore) };
    },
    (head) => String(head.treeSize),
  );
  const { first, items } = heads;
  const newest = items[0] ?? null;

  let body;
  if (first.data === null && first.error) {
    body = (
      <ErrorNotice
        failure={first.error}
        title="Could not load the signed heads"
        onRetry={() => void first.reload()}
      />
    );
  } else if (first.data === null) {
    body = <Loading what="the signed heads" />;
  } else if (newest === null) {
    body = (
      <Empty title="No tree head is signed yet">
        <p>
          The first head appears after the signer&apos;s first run. It runs every 10 minutes by default, and
          each run covers every event appended since the one before.
        </p>
      </Empty>
    );
  } else {
    body = (
      <div className="audit-heads-body">
        <div>
          <NewestHead head={newest} />
          <SigningKeys newestKeyId={newest.keyId} />
        </div>
        <EarlierHeads list={{ ...heads, items: items.slice(1) }} />
      </div>
    );
  }

  return (
    <section className="card audit-heads" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Signed tree heads</h2>
      <p className="field-help">
        A signed head fixes the ledger&apos;s first events under one hash (a Merkle tree root), signed with
        Charter&apos;s key. Keep one outside Charter: every event, proof and later head must agree with it.
      </p>
      {hasRole(who, 'auditor', 'admin') ? <SignNow onDone={() => void first.reload()} /> : null}
      {first.data !== null && first.error ? (
        <p className="notice notice-warning" role="status">
          Could not refresh ({first.error.message}); showing what was loaded before.
        </p>
      ) : null}
      {body}
    </section>
  );
}

function NewestHead({ head }: { head: SignedHead }) {
  return (
    <div className="audit-head-newest">
      <h3>Newest head</h3>
      <dl className="facts">
        <div>
          <dt>Covers</dt>
          <dd>
            the first <strong>{plural(head.treeSize, 'event')}</strong> (tree size {head.treeSize})
          </dd>
        </div>
        <div>
          <dt>Root hash</dt>
          <dd>
            <HashValue hash={head.rootHash} what="root hash" />
          </dd>
        </div>
        <div>
          <dt>Signed</dt>
          <dd>
            <time dateTime={head.timestamp}>{showInstant(head.timestamp)}</time>
          </dd>
        </div>
        <div>
          <dt>Key</dt>
          <dd>
            <code className="sha">{head.keyId}</code>
          </dd>
        </div>
      </dl>
      <p className="actions audit-head-actions">
        <button type="button" className="button" onClick={() => saveHead(head)}>
          Download head
        </button>
      </p>
      <p className="field-help">
        The same file <code>charter audit checkpoint</code> saves: the head as the API states it.
      </p>
    </div>
  );
}

/** Runs the signer now (POST /v1/audit/heads) and says what came of it. */
function SignNow({ onDone }: { onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<SignAnswer | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  // One key per click: a retried request after a lost answer does not start a second run.
  const key = useRef(idempotencyKey());

  const sign = async (): Promise<void> => {
    setBusy(true);
    setAnswer(null);
    setFailure(null);
    try {
      setAnswer(
        await unwrap(api.POST('/v1/audit/heads', { params: { header: { 'Idempotency-Key': key.current } } })),
      );
      onDone();
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      key.current = idempotencyKey();
      setBusy(false);
    }
  };

  return (
    <div className="audit-sign">
      <button type="button" className="button" disabled={busy} onClick={() => void sign()}>
        {busy ? 'Signing…' : 'Sign now'}
      </button>
      <div aria-live="polite" className="audit-sign-result">
        {answer ? <SignOutcome answer={answer} /> : null}
        {failure ? <ErrorNotice failure={failure} title="No head was signed" /> : null}
      </div>
    </div>
  );
}

function SignOutcome({ answer }: { answer: SignAnswer }) {
  if (answer.running !== undefined) {
    return (
      <div className="notice notice-warning">
        <p className="notice-title">Still signing</p>
        <p>
          The signer is still working after 5 seconds (a large ledger&apos;s first tree takes longer). It goes
          on by itself: the new head appears here when it is signed. Its run is <code>{answer.running}</code>.
        </p>
      </div>
    );
  }
  const size = answer.size ?? 0;
  if (answer.head === null) {
    return (
      <div className="notice notice-warning">
        <p className="notice-title">No head was signed</p>
        {size === 0 ? (
          <p>The ledger has no events yet: there is nothing to sign.</p>
        ) : (
          <p>
            The tree now holds {plural(size, 'event')}, but the worker has no signing key. An administrator
            sets <code>CHARTER_SIGNING_KEY</code> or <code>CHARTER_SIGNING_KEY_FILE</code> on the worker.
          </p>
        )}
      </div>
    );
  }
  return (
    <div className="notice notice-ok">
      <p className="notice-title">
        {answer.signed ? `Signed a head of ${plural(answer.head.treeSize, 'event')}` : 'Nothing new to sign'}
      </p>
      <p>
        {answer.signed
          ? `${plural(answer.added ?? 0, 'event')} joined the tree in this run.`
          : `The newest head already covers all ${plural(answer.head.treeSize, 'event')}.`}
      </p>
    </div>
  );
}
