// Pieces the signed-ledger panels share (issue 17): the shape of a signed tree head, a hash shown
// short with its full value a click away and copyable, and files saved from what the API answered
// (a head, a proof, a public key). Files are made in the browser from the answer already shown, so
// the bytes an auditor keeps are the bytes that were on the screen; a head is saved exactly as
// `charter audit checkpoint` saves it, so either file can be checked with the same tools.
import { useState } from 'react';
import type { paths } from '../../api-client/client.js';

export type SignedHead =
  paths['/v1/audit/heads']['get']['responses']['200']['content']['application/json']['items'][number];

export type InclusionProof =
  paths['/v1/audit/events/{id}/proof']['get']['responses']['200']['content']['application/json'];

/** The first 12 hex digits: enough to tell hashes apart by eye, short enough for a phone. */
export const shortHash = (hex: string): string => (hex.length > 12 ? `${hex.slice(0, 12)}…` : hex);

export const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** JSON as Charter's command line writes it: two-space indent and a final newline. */
export const jsonFileText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** A name safe on every file system (event ids hold `:` and `/`). */
const safeName = (text: string): string => text.replace(/[^A-Za-z0-9._-]+/g, '-');

export const headFileName = (head: SignedHead): string => `charter-head-${head.treeSize}.json`;
export const keyFileName = (keyId: string): string => `charter-key-${safeName(keyId)}.pem`;
export const proofFileName = (proof: InclusionProof): string =>
  `charter-proof-${safeName(proof.eventId)}-${proof.treeSize}.json`;

/**
 * Saves `text` as a download named `name`. The object URL lives a minute, not less: some browsers
 * start reading it only after click() has returned.
 */
export function saveFile(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A head saved as `charter audit checkpoint` saves it: the API's object, pretty-printed. */
export const saveHead = (head: SignedHead): void =>
  saveFile(headFileName(head), jsonFileText(head), 'application/json');

/**
 * A 64-digit hash: its first digits, a disclosure with all of them (wrapped, selectable), and a
 * Copy button. `what` names it for screen readers ("root hash").
 */
export function HashValue({ hash, what }: { hash: string; what: string }) {
  return (
    <span className="ledger-hash">
      <details className="ledger-hash-details">
        <summary>
          <code>{shortHash(hash)}</code>
          <span className="visually-hidden">: show the whole {what}</span>
        </summary>
        <code className="ledger-hash-full">{hash}</code>
      </details>
      <CopyButton text={hash} what={what} />
    </span>
  );
}

type Copied = { text: string; ok: boolean } | null;

/** Copies `text`; says so in a live region, or says how to copy by hand where the browser refuses. */
function CopyButton({ text, what }: { text: string; what: string }) {
  const [copied, setCopied] = useState<Copied>(null);
  const copy = async (): Promise<void> => {
    try {
      // Absent outside secure contexts (plain http on a host name): that is the catch below.
      await navigator.clipboard.writeText(text);
      setCopied({ text, ok: true });
    } catch {
      setCopied({ text, ok: false });
    }
  };
  // A message about an older value (the newest head changed since) is not shown.
  const news = copied?.text === text ? copied : null;
  return (
    <>
      <button type="button" className="button button-quiet ledger-copy" onClick={() => void copy()}>
        Copy<span className="visually-hidden"> the {what}</span>
      </button>
      <span role="status" className="ledger-copied">
        {news === null ? '' : news.ok ? 'Copied' : 'Not copied: open it and select the digits'}
      </span>
    </>
  );
}
