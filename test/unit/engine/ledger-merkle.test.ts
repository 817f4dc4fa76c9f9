// The ledger's Merkle hashing (engine/ledger/merkle.ts): leaf and node hashes, roots, the frontier
// its writer appends to and the tree head bytes, held to published vectors and to the
// independent RFC 9162 reading in test/support/merkle-reference.ts.
import { createHash } from 'node:crypto';
import {
  HASH_BYTES,
  MerkleError,
  TREE_HEAD_BYTES,
  TreeFrontier,
  emptyRoot,
  engineSha256,
  eventLeafHash,
  hashFromHex,
  hashToHex,
  hashesFromHex,
  leafHash,
  nodeHash,
  rootOf,
  treeHeadBytes,
  type PerfectNode,
  type Sha256,
} from '../../../engine/ledger/index.js';
import { CT_LEAVES, CT_ROOTS, mth, referenceLeafHash } from '../../support/merkle-reference.js';

const sha: Sha256 = (bytes) => createHash('sha256').update(bytes).digest();
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Leaf data of varied lengths (0 to 40 bytes), distinct for every i. */
function entries(count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) =>
    createHash('sha256')
      .update(`entry ${i}`)
      .digest()
      .subarray(0, (i * 7) % 33),
  ).map((digest, i) => Buffer.concat([digest, Buffer.from(String(i))]));
}

const D = entries(300);
const leafHashes = D.map((d) => leafHash(sha, d));

function thrown(action: () => unknown): MerkleError {
  try {
    action();
  } catch (error) {
    if (error instanceof MerkleError) return error;
    throw error;
  }
  throw new Error('expected a MerkleError');
}

describe('leaf and node hashes', () => {
  // github.com/transparency-dev/merkle rfc6962/rfc6962_test.go (commit 4098e0ce), values copied.
  test.each([
    [
      'the empty tree',
      () => emptyRoot(sha),
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ],
    [
      'an empty leaf',
      () => leafHash(sha, new Uint8Array(0)),
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    ],
    [
      'the leaf "L123456"',
      () => leafHash(sha, Buffer.from('L123456')),
      '395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56',
    ],
    [
      'the node over "N123" and "N456"',
      () => nodeHash(sha, Buffer.from('N123'), Buffer.from('N456')),
      'aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb',
    ],
  ])('when hashing %s, then the published RFC 6962 value comes out', (_what, hash, expected) => {
    expect(hex(hash())).toBe(expected);
  });

  test('when a leaf holds the bytes of two hashes, then it differs from the node over them (domain separation)', () => {
    const [left, right] = [leafHashes[0]!, leafHashes[1]!];
    expect(hex(leafHash(sha, Buffer.concat([left, right])))).not.toBe(hex(nodeHash(sha, left, right)));
    expect(hex(nodeHash(sha, left, right))).not.toBe(hex(nodeHash(sha, right, left)));
  });

  test('when the engine SHA-256 stands in for node:crypto, then every hash and root agrees', () => {
    for (let length = 0; length <= 130; length++) {
      const bytes = Buffer.alloc(length, length);
      expect([length, hex(engineSha256(bytes))]).toEqual([length, hex(sha(bytes))]);
    }
    const viaEngine = D.slice(0, 100).map((d) => leafHash(engineSha256, d));
    expect(hex(rootOf(engineSha256, viaEngine))).toBe(hex(rootOf(sha, leafHashes.slice(0, 100))));
  });

  test('when an event hash is the leaf data, then the leaf hash is SHA-256(0x00 || the 32 decoded bytes)', () => {
    // The example in engine/ledger/FORMAT.md: the event hash is SHA-256 of no bytes.
    const eventHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    const expected = sha(Buffer.concat([Buffer.from([0]), Buffer.from(eventHash, 'hex')]));
    expect(hex(eventLeafHash(sha, eventHash))).toBe(hex(expected));
    expect(hex(expected)).toBe('4e59bf27372b1304bc0b137d1be9d566ad58b154b6a6b5778af7f414b1d4b84c');
  });

  test.each([
    ['upper-case digits', 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855'],
    ['63 digits', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85'],
    ['a non-hex digit', 'g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['surrounding spaces', ' e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 '],
  ])('when an event hash has %s, then it is refused at its field', (_what, eventHash) => {
    const error = thrown(() => eventLeafHash(sha, eventHash, 'events[3].hash'));
    expect(error.field).toBe('events[3].hash');
    expect(error.message).toMatch(/^events\[3\]\.hash: expected 64 lowercase hex digits/);
  });

  test('when hashes travel as hex, then they come back byte for byte, and lists name the bad position', () => {
    for (const hash of leafHashes.slice(0, 20)) expect(hex(hashFromHex(hashToHex(hash)))).toBe(hex(hash));
    expect(hashesFromHex([hashToHex(leafHashes[0]!)]).map(hex)).toEqual([hex(leafHashes[0]!)]);
    expect(thrown(() => hashesFromHex([hashToHex(leafHashes[0]!), 7], 'body.path')).message).toBe(
      'body.path[1]: expected a hex string, got number',
    );
    expect(thrown(() => hashesFromHex('abc', 'body.path')).field).toBe('body.path');
  });
});

describe('rootOf', () => {
  test('when given the published eight-leaf tree, then every prefix has the published root', () => {
    const ct = CT_LEAVES.map((data) => leafHash(sha, Buffer.from(data, 'hex')));
    CT_ROOTS.forEach((root, i) =>
      expect([i + 1, hex(rootOf(sha, ct.slice(0, i + 1)))]).toEqual([i + 1, root]),
    );
  });

  test('when the tree has 0 to 300 leaves, then its root is the reference MTH', () => {
    for (let n = 0; n <= 300; n++) {
      expect([n, hex(rootOf(sha, leafHashes.slice(0, n)))]).toEqual([n, hex(mth(D.slice(0, n)))]);
    }
  });
});

describe('TreeFrontier', () => {
  test('when leaves are appended one by one up to 300, then the root after each equals rootOf and the reference', () => {
    const frontier = new TreeFrontier(sha);
    expect(hex(frontier.root())).toBe(hex(emptyRoot(sha)));
    for (let n = 1; n <= 300; n++) {
      frontier.append(leafHashes[n - 1]!);
      expect(frontier.size).toBe(n);
      const root = hex(frontier.root());
      expect([n, root]).toEqual([n, hex(rootOf(sha, leafHashes.slice(0, n)))]);
      expect([n, root]).toEqual([n, hex(mth(D.slice(0, n)))]);
      // One hash per bit set in n: at most log2(n) + 1.
      expect(frontier.edge().length).toBe(n.toString(2).replace(/0/g, '').length);
      expect(frontier.edge().length).toBeLessThanOrEqual(Math.floor(Math.log2(n)) + 1);
    }
  });

  test('when appending 300 leaves, then every perfect node is reported exactly once, with its subtree hash', () => {
    const frontier = new TreeFrontier(sha);
    const reported = new Map<string, PerfectNode>();
    for (let i = 0; i < 300; i++) {
      const completed = frontier.append(leafHashes[i]!);
      expect(completed[0]).toMatchObject({ level: 0, index: i });
      completed.forEach((node, step) => expect(node.level).toBe(step));
      for (const node of completed) {
        const key = `${node.level}/${node.index}`;
        expect(reported.has(key)).toBe(false);
        reported.set(key, node);
      }
    }
    const expected: string[] = [];
    for (let level = 0; 2 ** level <= 300; level++) {
      for (let index = 0; (index + 1) * 2 ** level <= 300; index++) expected.push(`${level}/${index}`);
    }
    expect([...reported.keys()].sort()).toEqual(expected.sort());
    for (const { level, index, hash } of reported.values()) {
      const covered = D.slice(index * 2 ** level, (index + 1) * 2 ** level);
      expect([level, index, hex(hash)]).toEqual([level, index, hex(mth(covered))]);
    }
  });

  test('when a frontier is saved as JSON and restored at any size, then appending on gives the same roots', () => {
    const straight = new TreeFrontier(sha);
    const roots: string[] = [];
    for (const hash of leafHashes.slice(0, 64)) {
      straight.append(hash);
      roots.push(hex(straight.root()));
    }
    for (let saved = 0; saved <= 40; saved++) {
      const before = new TreeFrontier(sha);
      leafHashes.slice(0, saved).forEach((hash) => before.append(hash));
      const restored = TreeFrontier.fromJSON(sha, JSON.parse(JSON.stringify(before)));
      expect(restored.size).toBe(saved);
      expect(hex(restored.root())).toBe(hex(before.root()));
      for (let n = saved + 1; n <= 64; n++) {
        restored.append(leafHashes[n - 1]!);
        expect([saved, n, hex(restored.root())]).toEqual([saved, n, roots[n - 1]]);
      }
    }
  });

  test.each([
    ['not an object', null, 'frontier: expected an object'],
    [
      'a negative size',
      { size: -1, hashes: [] },
      'frontier.size: expected a whole number from 0 to 2^53 - 1, got -1',
    ],
    ['a fractional size', { size: 1.5, hashes: [] }, 'frontier.size: expected a whole number'],
    ['a size beyond 2^53', { size: 2 ** 53, hashes: [] }, 'frontier.size: expected a whole number'],
    ['no hash list', { size: 0 }, 'frontier.hashes: expected an array'],
    [
      'too few hashes for the size',
      { size: 3, hashes: ['aa'.repeat(32)] },
      'frontier.hashes: a tree of 3 leaves has 2 right-edge subtrees, got 1 hashes',
    ],
    [
      'an upper-case hash',
      { size: 1, hashes: ['AA'.repeat(32)] },
      'frontier.hashes[0]: expected 64 lowercase hex digits',
    ],
    [
      'a short hash',
      { size: 2, hashes: ['aa'.repeat(31)] },
      'frontier.hashes[0]: expected 64 lowercase hex digits',
    ],
  ])(
    'when the stored frontier has %s, then restoring it is refused with its field',
    (_what, json, message) => {
      expect(thrown(() => TreeFrontier.fromJSON(sha, json)).message).toContain(message);
    },
  );

  test('when a leaf hash is not 32 bytes, then append refuses it and the frontier is unchanged', () => {
    const frontier = new TreeFrontier(sha);
    frontier.append(leafHashes[0]!);
    expect(thrown(() => frontier.append(new Uint8Array(31))).message).toBe(
      'leafHash: expected 32 bytes, got 31 bytes',
    );
    expect(frontier.size).toBe(1);
  });

  test('when the caller changes an appended buffer afterwards, then the frontier keeps what was appended', () => {
    const frontier = new TreeFrontier(sha);
    const leaf = Buffer.from(leafHashes[0]!);
    frontier.append(leaf);
    leaf.fill(0);
    expect(hex(frontier.root())).toBe(hex(leafHashes[0]!));
  });
});

describe('treeHeadBytes', () => {
  test('when encoding a head, then the bytes are RFC 9162 TreeHeadDataV2: two uint64, a 1-byte-length root, no extensions', () => {
    const rootHash = leafHashes[5]!;
    for (const [timestamp, treeSize] of [
      [0, 0],
      [1_700_000_000_123, 7],
      [2 ** 32 + 5, 2 ** 40 + 1],
      [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    ] as const) {
      const expected = Buffer.alloc(TREE_HEAD_BYTES);
      expected.writeBigUInt64BE(BigInt(timestamp), 0);
      expected.writeBigUInt64BE(BigInt(treeSize), 8);
      expected.writeUInt8(HASH_BYTES, 16);
      Buffer.from(rootHash).copy(expected, 17);
      expected.writeUInt16BE(0, 49);
      expect(hex(treeHeadBytes({ timestamp, treeSize, rootHash }))).toBe(expected.toString('hex'));
    }
  });

  test('when encoding the example of FORMAT.md, then its bytes come out', () => {
    const rootHash = Buffer.from(CT_ROOTS[6]!, 'hex');
    expect(hex(treeHeadBytes({ timestamp: 1_700_000_000_000, treeSize: 7, rootHash }))).toBe(
      '0000018bcfe56800' + '0000000000000007' + '20' + CT_ROOTS[6]! + '0000',
    );
  });

  test.each([
    ['a negative timestamp', { timestamp: -1, treeSize: 1 }, 'timestamp: expected a whole number'],
    ['a size beyond 2^53', { timestamp: 0, treeSize: 2 ** 53 }, 'treeSize: expected a whole number'],
    [
      'a short root',
      { timestamp: 0, treeSize: 1, rootHash: new Uint8Array(31) },
      'rootHash: expected 32 bytes',
    ],
  ])('when a head has %s, then it is refused with its field', (_what, head, message) => {
    const rootHash = leafHashes[0]!;
    expect(thrown(() => treeHeadBytes({ rootHash, ...head })).message).toContain(message);
  });
});

test('the reference leaf hash is the engine leaf hash (both read RFC 9162 2.1.1)', () => {
  for (const d of D.slice(0, 50)) expect(hex(referenceLeafHash(d))).toBe(hex(leafHash(sha, d)));
});
