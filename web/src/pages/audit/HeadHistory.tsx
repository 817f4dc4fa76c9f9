// The heads signed before the newest one, a page at a time, and the public keys heads are checked
// with (GET /v1/audit/keys). A rotated key stays listed, so an old head still names a key the
// auditor can download; the key that signed the newest head is marked in words, not by colour.
import { useId } from 'react';
import { api, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import type { PagedList } from '../../app/paged-list.js';
import { LoadMore } from '../../components/LoadMore.js';
import { Loaded } from '../../components/states.js';
import { showInstant } from './filter.js';
import { keyFileName, plural, saveFile, saveHead, shortHash, type SignedHead } from './ledger-parts.js';

/** `list.items` are the earlier heads only (the newest is shown above them). */
export function EarlierHeads({ list }: { list: PagedList<SignedHead> }) {
  const id = useId();
  const { items } = list;
  return (
    <section className="audit-heads-earlier" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Earlier heads</h3>
      {items.length === 0 && !list.hasMore ? (
        <p className="field-help">None: the newest head is the first one signed.</p>
      ) : (
        <div className="table-wrap">
          <table className="data stack-table audit-heads-table">
            <caption className="visually-hidden">Earlier signed heads, largest tree first</caption>
            <thead>
              <tr>
                <th scope="col">Events</th>
                <th scope="col">Root hash</th>
                <th scope="col">Signed</th>
                <th scope="col">Key</th>
                <th scope="col">File</th>
              </tr>
            </thead>
            <tbody>
              {items.map((head) => (
                <tr key={head.treeSize}>
                  <td data-label="Events">{head.treeSize.toLocaleString()}</td>
                  <td data-label="Root hash">
                    <code title={head.rootHash}>{shortHash(head.rootHash)}</code>
                  </td>
                  <td data-label="Signed">
                    <time dateTime={head.timestamp}>{showInstant(head.timestamp)}</time>
                  </td>
                  <td data-label="Key">
                    <code>{head.keyId}</code>
                  </td>
                  <td data-label="File">
                    <button type="button" className="button" onClick={() => saveHead(head)}>
                      Download
                      <span className="visually-hidden"> the head of {plural(head.treeSize, 'event')}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore list={list} what="heads" className="actions audit-more" />
    </section>
  );
}

/**
 * The keys, read again when the newest head names another key (a rotation) rather than on a timer:
 * keys change only when a head is signed with a new one.
 */
export function SigningKeys({ newestKeyId }: { newestKeyId: string }) {
  const id = useId();
  const read = useLive(`audit:keys:${newestKeyId}`, () => unwrap(api.GET('/v1/audit/keys')), {
    live: false,
  });
  return (
    <section className="audit-keys" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Signing keys</h3>
      <Loaded read={read} what="the signing keys">
        {({ items }) =>
          items.length === 0 ? (
            <p className="field-help">No key is listed yet.</p>
          ) : (
            <ul className="audit-key-list">
              {items.map((key) => (
                <li key={key.keyId}>
                  <p className="audit-key-id">
                    <code>{key.keyId}</code> <span className="muted">Ed25519</span>
                    {key.keyId === newestKeyId ? (
                      <span className="badge badge-approved">signed the newest head</span>
                    ) : null}
                  </p>
                  <p className="field-help">
                    First used <time dateTime={key.addedAt}>{showInstant(key.addedAt)}</time>
                  </p>
                  <p className="actions">
                    <button
                      type="button"
                      className="button"
                      onClick={() =>
                        saveFile(keyFileName(key.keyId), key.publicKey, 'application/x-pem-file')
                      }
                    >
                      Download public key<span className="visually-hidden"> {key.keyId}</span>
                    </button>
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
      <p className="field-help">
        A head names its key by id. Its signature is Ed25519 over its time, tree size and root hash as RFC
        9162 encodes them. A rotated key stays listed, so older heads still check.
      </p>
    </section>
  );
}
