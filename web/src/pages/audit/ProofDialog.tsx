// One event's inclusion proof under the newest signed head (GET /v1/audit/events/{id}/proof), in a
// dialog opened from the events list: the event's leaf index, the head it is under, and the path
// of hashes from its leaf up to that head's root, checked here with the engine's RFC 9162 verifier
// (pure code, the same the server and `charter audit verify` use), and saved as a file to check
// elsewhere. An event appended after the newest head is not an error: the next head covers it.
import { useMemo } from 'react';
import { api, type ApiFailure, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorNotice, Loading } from '../../components/states.js';
import {
  engineSha256,
  eventLeafHash,
  hashFromHex,
  hashesFromHex,
  verifyInclusion,
} from '../../../../engine/ledger/index.js';
import { showInstant } from './filter.js';
import {
  HashValue,
  type InclusionProof,
  jsonFileText,
  plural,
  proofFileName,
  saveFile,
} from './ledger-parts.js';

/** What the dialog needs of a listed event (the events list's rows have more). */
export interface ProofTarget {
  id: string;
  chain: string;
  seq: number;
  type: string;
  at: string;
  /** The event's hash as the list shows it, compared with the hash its leaf holds. */
  hash: string;
}

/** 409 codes of the proof route that mean "after the newest head", not "something is wrong". */
const NOT_YET = new Set(['not-yet-in-tree', 'not-under-head']);

export function ProofDialog({ event, onClose }: { event: ProofTarget; onClose: () => void }) {
  // Read once per opening: a proof that changed under the reader (a newer head) would not match
  // the file just downloaded. "Check again" reads it anew.
  const read = useLive(
    `audit:proof:${event.id}`,
    () => unwrap(api.GET('/v1/audit/events/{id}/proof', { params: { path: { id: event.id } } })),
    { live: false },
  );
  const proof = read.data;
  return (
    <Dialog
      title="Inclusion proof"
      className="proof-dialog"
      onCancel={onClose}
      description={
        <p>
          Event #{event.seq} of <code>{event.chain}</code>, {event.type}, recorded{' '}
          <time dateTime={event.at}>{showInstant(event.at)}</time>.
        </p>
      }
    >
      <div aria-live="polite">
        {proof !== null ? (
          <ProofBody proof={proof} listedHash={event.hash} />
        ) : read.error ? (
          <NoProof failure={read.error} onRetry={() => void read.reload()} />
        ) : (
          <Loading what="the proof" />
        )}
      </div>
      <div className="actions dialog-actions">
        {proof !== null ? (
          <button
            type="button"
            className="button"
            onClick={() => saveFile(proofFileName(proof), jsonFileText(proof), 'application/json')}
          >
            Download proof
          </button>
        ) : null}
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

/** Why there is no proof: not yet (a normal state, in plain words), or the API's error. */
function NoProof({ failure, onRetry }: { failure: ApiFailure; onRetry: () => void }) {
  if (failure.status === 409 && NOT_YET.has(failure.code)) {
    return (
      <div className="state proof-not-yet">
        <p className="state-title">Not under a signed head yet</p>
        <p>
          This event was appended after the newest signed head; it will be covered by the next one. The signer
          runs every 10 minutes by default.
        </p>
        <button type="button" className="button" onClick={onRetry}>
          Check again
        </button>
      </div>
    );
  }
  if (failure.status === 404) {
    return (
      <div className="notice notice-warning" role="status">
        <p className="notice-title">No proof to show</p>
        <p>
          {failure.message} <code className="code-tag">{failure.code}</code>
        </p>
      </div>
    );
  }
  return <ErrorNotice failure={failure} title="Could not load the proof" onRetry={onRetry} />;
}

type Check = { ok: true } | { ok: false; why: string };

/** The proof checked against the head's root, and the leaf against the hash the event list shows. */
function checkProof(proof: InclusionProof, listedHash: string): Check {
  if (proof.eventHash !== listedHash)
    return {
      ok: false,
      why: `the tree's leaf holds the hash ${proof.eventHash}, but the event now has ${listedHash}: it was changed after it joined the tree`,
    };
  try {
    const check = verifyInclusion(
      engineSha256,
      proof.leafIndex,
      proof.treeSize,
      eventLeafHash(engineSha256, proof.eventHash),
      hashesFromHex(proof.path, 'path'),
      hashFromHex(proof.head.rootHash, 'head.rootHash'),
    );
    return check.ok ? { ok: true } : { ok: false, why: check.message };
  } catch (error) {
    return { ok: false, why: error instanceof Error ? error.message : String(error) };
  }
}

function ProofBody({ proof, listedHash }: { proof: InclusionProof; listedHash: string }) {
  const check = useMemo(() => checkProof(proof, listedHash), [proof, listedHash]);
  const { head } = proof;
  return (
    <>
      {check.ok ? (
        <p className="notice notice-ok">
          Checked in this browser: the path leads from the event&apos;s hash to the head&apos;s root. The
          head&apos;s signature is not checked here: check a saved head with its public key.
        </p>
      ) : (
        <div className="notice notice-error" role="alert">
          <p className="notice-title">The proof does not check out</p>
          <p>{check.why}</p>
        </div>
      )}
      <dl className="facts proof-facts">
        <div>
          <dt>Leaf index</dt>
          <dd>{proof.leafIndex.toLocaleString()} (counting from 0)</dd>
        </div>
        <div>
          <dt>Tree size</dt>
          <dd>{plural(proof.treeSize, 'event')}</dd>
        </div>
        <div>
          <dt>Under the head</dt>
          <dd>
            signed <time dateTime={head.timestamp}>{showInstant(head.timestamp)}</time> with key{' '}
            <code>{head.keyId}</code>
          </dd>
        </div>
        <div>
          <dt>Event hash</dt>
          <dd>
            <HashValue hash={proof.eventHash} what="event hash" />
          </dd>
        </div>
        <div>
          <dt>Root hash</dt>
          <dd>
            <HashValue hash={head.rootHash} what="root hash" />
          </dd>
        </div>
      </dl>
      <h3 className="proof-path-title">Path</h3>
      {proof.path.length === 0 ? (
        <p className="field-help">Empty: the tree has one leaf, so the event&apos;s leaf hash is the root.</p>
      ) : (
        <>
          <p className="field-help">
            {plural(proof.path.length, 'hash', 'hashes')}, from the leaf&apos;s sibling up to a child of the
            root.
          </p>
          <ol className="proof-path">
            {proof.path.map((hash, i) => (
              <li key={`${i}:${hash}`}>
                <code>{hash}</code>
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}
