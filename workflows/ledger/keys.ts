// The key tree heads are signed with: Ed25519 from node:crypto, read from the configuration
// (CHARTER_SIGNING_KEY, the PEM itself, or CHARTER_SIGNING_KEY_FILE, a path to it; `npm start`
// writes a development key once). A key's id is the first 16 hex digits of the SHA-256 of its
// public half (SPKI DER), so anyone holding the public key can tell which heads it signed.
// Rotating is configuring a new key: heads signed before keep their key id, and the old public
// key stays in the store (ledger_keys) and with the auditors, so they still verify.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hashFromHex, treeHeadBytes } from '../../engine/ledger/index.js';

export interface SigningKey {
  keyId: string;
  privateKey: KeyObject;
  /** SPKI, PEM: what auditors and the store keep. */
  publicKeyPem: string;
}

export class SigningKeyError extends Error {
  override name = 'SigningKeyError';
}

/** The key id of an Ed25519 public key (SPKI PEM). */
export function keyIdOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** A signing key from its PKCS#8 PEM; SigningKeyError when it is not an Ed25519 private key. */
export function signingKeyFrom(pem: string, where: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (error) {
    throw new SigningKeyError(`${where}: not a private key in PEM (${(error as Error).message})`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new SigningKeyError(
      `${where}: expected an Ed25519 key, got ${privateKey.asymmetricKeyType ?? 'unknown'}`,
    );
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { keyId: keyIdOf(publicKeyPem), privateKey, publicKeyPem };
}

/**
 * The configured key: CHARTER_SIGNING_KEY (PEM text) or CHARTER_SIGNING_KEY_FILE (a path), not
 * both; null when neither is set (the tree still grows, but no head is signed).
 */
export function signingKeyFromEnv(env: Record<string, string | undefined>): SigningKey | null {
  const text = env['CHARTER_SIGNING_KEY'];
  const file = env['CHARTER_SIGNING_KEY_FILE'];
  if (text && file)
    throw new SigningKeyError('set CHARTER_SIGNING_KEY or CHARTER_SIGNING_KEY_FILE, not both');
  if (text) return signingKeyFrom(text, 'CHARTER_SIGNING_KEY');
  if (!file) return null;
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SigningKeyError(`CHARTER_SIGNING_KEY_FILE: cannot read ${file} (${(error as Error).message})`);
  }
  return signingKeyFrom(pem, `CHARTER_SIGNING_KEY_FILE (${file})`);
}

/** A new Ed25519 key as PKCS#8 PEM (what `npm start` writes once for development). */
export function newSigningKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** What a head states before it is signed; `timestamp` is ISO 8601 with milliseconds. */
export interface UnsignedHead {
  treeSize: number;
  rootHash: string;
  timestamp: string;
  keyId: string;
}

/** The bytes a head's signature covers: RFC 9162's TreeHeadDataV2 (engine/ledger/FORMAT.md). */
export function headBytes(head: UnsignedHead): Uint8Array {
  const timestamp = Date.parse(head.timestamp);
  if (Number.isNaN(timestamp) || new Date(timestamp).toISOString() !== head.timestamp)
    throw new SigningKeyError(
      `timestamp: expected an ISO 8601 UTC time with milliseconds, got ${head.timestamp}`,
    );
  return treeHeadBytes({
    timestamp,
    treeSize: head.treeSize,
    rootHash: hashFromHex(head.rootHash, 'rootHash'),
  });
}

/** The base64 Ed25519 signature of a head. */
export function signHead(key: SigningKey, head: UnsignedHead): string {
  if (head.keyId !== key.keyId)
    throw new SigningKeyError(`the head names key ${head.keyId}, not ${key.keyId}`);
  return sign(null, headBytes(head), key.privateKey).toString('base64');
}
