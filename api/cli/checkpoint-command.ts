// `charter audit checkpoint`: the newest signed tree head, checked here against the public key it
// names before it is kept, written to a file the auditor stores outside Charter (and, if asked,
// that key). Anything Charter shows later (events, proofs, newer heads) must be consistent with
// this file; `charter audit verify` and the API's proofs are how that is checked.
import { writeFileSync } from 'node:fs';
import type { SignedHead } from '../../store/ledger-heads.js';
import { headSignedBy } from '../audit/tree-verify.js';
import type { CommandContext } from './commands.js';

interface KeysAnswer {
  items: { keyId: string; publicKey: string }[];
}

/** Saves the newest head (to `out`, or prints it); false when its signature does not check out. */
export async function auditCheckpoint(
  ctx: CommandContext,
  out: string | undefined,
  publicKeyFile: string | undefined,
): Promise<boolean> {
  const head = await ctx.client.get<SignedHead>('/v1/audit/heads/latest', {});
  const keys = await ctx.client.get<KeysAnswer>('/v1/audit/keys', {});
  const key = keys.items.find((k) => k.keyId === head.keyId);
  if (key === undefined || !headSignedBy(head, key.publicKey)) {
    ctx.out(
      `the newest head (${head.treeSize} leaves, key ${head.keyId}) does NOT verify with ` +
        `${key === undefined ? 'any key the server lists' : 'its key'}: not saved\n`,
    );
    return false;
  }
  const text = `${JSON.stringify(head, null, 2)}\n`;
  if (out === undefined) {
    ctx.out(text);
    return true;
  }
  writeFileSync(out, text);
  if (publicKeyFile !== undefined) writeFileSync(publicKeyFile, key.publicKey);
  const saved = publicKeyFile === undefined ? '' : `, its public key to ${publicKeyFile}`;
  ctx.out(
    `saved the signed head of ${head.treeSize} leaves (root ${head.rootHash}, key ${head.keyId}, ` +
      `signed ${head.timestamp}) to ${out}${saved}; keep them outside Charter\n`,
  );
  return true;
}
