// The signer's keys (workflows/ledger/keys.ts): Ed25519 only, read from the configuration with the
// variable named when it is wrong, a key id that anyone holding the public key can recompute, and
// signatures over RFC 9162's tree head bytes that verify with that public key and no other.
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hashFromHex, treeHeadBytes } from '../../engine/ledger/index.js';
import {
  headBytes,
  keyIdOf,
  newSigningKeyPem,
  signHead,
  signingKeyFrom,
  signingKeyFromEnv,
  SigningKeyError,
} from '../../workflows/ledger/keys.js';

const ROOT = 'ab'.repeat(32);

describe('ledger signing keys', () => {
  test('when a head is signed, then its signature verifies over the TreeHeadDataV2 bytes with the public key only', () => {
    const key = signingKeyFrom(newSigningKeyPem(), 'test');
    const other = signingKeyFrom(newSigningKeyPem(), 'other');
    const head = { treeSize: 7, rootHash: ROOT, timestamp: '2026-12-06T18:00:00.000Z', keyId: key.keyId };
    const signature = Buffer.from(signHead(key, head), 'base64');
    const bytes = treeHeadBytes({
      timestamp: Date.parse(head.timestamp),
      treeSize: 7,
      rootHash: hashFromHex(ROOT),
    });
    expect(Buffer.from(headBytes(head)).equals(Buffer.from(bytes))).toBe(true);
    expect(verify(null, bytes, createPublicKey(key.publicKeyPem), signature)).toBe(true);
    expect(verify(null, bytes, createPublicKey(other.publicKeyPem), signature)).toBe(false);
    // Another size under the same signature does not verify.
    const bigger = treeHeadBytes({
      timestamp: Date.parse(head.timestamp),
      treeSize: 8,
      rootHash: hashFromHex(ROOT),
    });
    expect(verify(null, bigger, createPublicKey(key.publicKeyPem), signature)).toBe(false);
    expect(() => signHead(other, head)).toThrow(`the head names key ${key.keyId}, not ${other.keyId}`);
  });

  test('when a key id is computed, then it is the first 16 hex digits of SHA-256 over the SPKI DER', () => {
    const key = signingKeyFrom(newSigningKeyPem(), 'test');
    const der = createPublicKey(key.publicKeyPem).export({ type: 'spki', format: 'der' });
    expect(key.keyId).toBe(createHash('sha256').update(der).digest('hex').slice(0, 16));
    expect(keyIdOf(key.publicKeyPem)).toBe(key.keyId);
  });

  test('when the configuration is wrong, then the variable is named and nothing is signed', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    expect(() => signingKeyFromEnv({ CHARTER_SIGNING_KEY: rsa.toString() })).toThrow(
      'CHARTER_SIGNING_KEY: expected an Ed25519 key, got rsa',
    );
    expect(() => signingKeyFromEnv({ CHARTER_SIGNING_KEY: 'not a key' })).toThrow(SigningKeyError);
    expect(() => signingKeyFromEnv({ CHARTER_SIGNING_KEY: 'x', CHARTER_SIGNING_KEY_FILE: 'y' })).toThrow(
      'set CHARTER_SIGNING_KEY or CHARTER_SIGNING_KEY_FILE, not both',
    );
    expect(() => signingKeyFromEnv({ CHARTER_SIGNING_KEY_FILE: '/nonexistent/key.pem' })).toThrow(
      /^CHARTER_SIGNING_KEY_FILE: cannot read \/nonexistent\/key.pem/,
    );
    expect(signingKeyFromEnv({})).toBeNull();
    const dir = mkdtempSync(path.join(tmpdir(), 'charter-key-'));
    const file = path.join(dir, 'key.pem');
    const pem = newSigningKeyPem();
    writeFileSync(file, pem);
    expect(signingKeyFromEnv({ CHARTER_SIGNING_KEY_FILE: file })?.keyId).toBe(signingKeyFrom(pem, 'x').keyId);
    expect(() =>
      signHead(signingKeyFrom(pem, 'x'), {
        treeSize: 1,
        rootHash: ROOT,
        timestamp: '2026-12-06T18:00:00Z',
        keyId: signingKeyFrom(pem, 'x').keyId,
      }),
    ).toThrow('timestamp: expected an ISO 8601 UTC time with milliseconds');
  });
});
