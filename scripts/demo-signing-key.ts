// `npm start`'s signing key for the audit ledger's tree heads (issue 17).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  newSigningKeyPem,
  type SigningKey,
  signingKeyFrom,
  signingKeyFromEnv,
} from '../workflows/ledger/keys.js';

/**
 * The key tree heads are signed with: the configured one (CHARTER_SIGNING_KEY[_FILE]), else a
 * development key made once in the data folder (git-ignored) and kept across starts, so heads an
 * auditor saved stay verifiable with the same public key.
 */
export function demoSigningKey(
  env: Record<string, string | undefined>,
  dataDir: string,
  log: (line: string) => void,
): SigningKey {
  const configured = signingKeyFromEnv(env);
  if (configured) return configured;
  const file = path.join(dataDir, 'signing-key.pem');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, newSigningKeyPem(), { mode: 0o600 });
    log(`ledger: made a development signing key in ${file} (set CHARTER_SIGNING_KEY_FILE for a real one)`);
  }
  const key = signingKeyFrom(readFileSync(file, 'utf8'), file);
  log(`ledger: tree heads signed with key ${key.keyId} (${file})`);
  return key;
}
