// The first admin of an installation. `charter serve` on a database where no admin token is live
// (a fresh one, or one whose last admin token expired or was revoked) makes one: for
// CHARTER_BOOTSTRAP_ADMIN, expiring after a day, so that a token printed in a log or left in a file
// does not stay a key to everything. The admin signs in with it, issues their own token and
// revokes it. With CHARTER_BOOTSTRAP_TOKEN_FILE the token goes
// to that file (0600) instead of the log; a file that already holds a token (put there by a secret
// manager) registers that one. Two processes starting at once on a fresh database may each make
// one: both are recorded on the admin chain and both expire.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import type { Store } from '../store/index.js';
import { tokenIdOf } from '../store/index.js';
import { issueTokenFor, tokenHash } from './auth.js';

export const BOOTSTRAP_HOURS = 24;
const TOKEN_TEXT = /^chr_[A-Za-z0-9_-]{43}$/;

export class BootstrapError extends Error {
  override name = 'BootstrapError';
}

export interface Bootstrapped {
  person: string;
  id: string;
  expiresAt: Date;
  /** The text, when it goes to the log; null when it is in (or came from) the file. */
  text: string | null;
  file: string | null;
}

/** The token in `file`, or null when the file does not exist or is empty. */
function tokenInFile(file: string): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new BootstrapError(
      `CHARTER_BOOTSTRAP_TOKEN_FILE: cannot read ${file} (${(error as Error).message})`,
    );
  }
  if (text === '') return null;
  if (!TOKEN_TEXT.test(text)) {
    throw new BootstrapError(
      `CHARTER_BOOTSTRAP_TOKEN_FILE: ${file} does not hold a Charter token (chr_ and 43 base64url characters)`,
    );
  }
  return text;
}

/** Makes the first admin token unless an admin token is live; null when none was needed. */
export async function bootstrapAdmin(
  store: Store,
  settings: { person: string; file: string | undefined },
  at: Date,
): Promise<Bootstrapped | null> {
  if (await store.tokens.hasLiveAdmin(at)) return null;
  const expiresAt = new Date(at.getTime() + BOOTSTRAP_HOURS * 3_600_000);
  const given = settings.file === undefined ? null : tokenInFile(settings.file);
  let id: string;
  let text: string;
  if (given !== null) {
    text = given;
    const hash = tokenHash(text);
    id = tokenIdOf(hash);
    // A token used before (now expired or revoked) is not made live again: the insert would be a
    // no-op and the log would promise a day of access that the token does not have.
    if ((await store.tokens.byId(id)) !== null) {
      throw new BootstrapError(
        `CHARTER_BOOTSTRAP_TOKEN_FILE: the token in ${settings.file} was registered before and is no longer live; ` +
          'empty the file (a new token is then written to it) or put a new token in it',
      );
    }
    await store.tokens.add({
      hash,
      person: settings.person,
      roles: ['admin'],
      label: 'bootstrap',
      createdAt: at,
      expiresAt,
    });
  } else {
    ({ id, text } = await issueTokenFor(store, {
      person: settings.person,
      roles: ['admin'],
      label: 'bootstrap',
      at,
      expiresAt,
    }));
    if (settings.file !== undefined) writeTokenFile(settings.file, text);
  }
  await store.adminLog.record({
    key: `bootstrap:${id}`,
    at,
    actor: null,
    fact: {
      kind: 'adminBootstrapped',
      token: id,
      person: settings.person,
      expiresAt: expiresAt.toISOString(),
    },
  });
  const file = settings.file ?? null;
  return { person: settings.person, id, expiresAt, text: file === null ? text : null, file };
}

function writeTokenFile(file: string, text: string): void {
  try {
    writeFileSync(file, `${text}\n`, { mode: 0o600 });
    // An empty file made beforehand keeps its mode through the write: only its owner may read it.
    chmodSync(file, 0o600);
  } catch (error) {
    throw new BootstrapError(
      `CHARTER_BOOTSTRAP_TOKEN_FILE: cannot write ${file} (${(error as Error).message})`,
    );
  }
}

/** What `charter serve` says about it: one line, or a few with the token to copy. */
export function bootstrapLines(made: Bootstrapped): string[] {
  const until = made.expiresAt.toISOString();
  const next =
    "sign in with it, issue your own admin token (`charter token issue`, or the console's People screen) and revoke this one";
  if (made.text === null) {
    return [
      `no admin token was live: the first one (${made.id}, for ${made.person}, until ${until}) is in ${made.file}; ${next}`,
    ];
  }
  return [
    `no admin token was live: the first one, for ${made.person}, until ${until} (shown once):`,
    `  ${made.text}`,
    next,
  ];
}
