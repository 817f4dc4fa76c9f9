import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sha256Hex } from '../../../engine/ir/index.js';
import { sha256HexOfBytes, utf8Bytes } from '../../../engine/ir/sha256.js';

const nodeSha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

describe('sha256Hex', () => {
  test.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
  ])('when hashing the FIPS 180 example %j, then the published digest comes out', (text, digest) => {
    expect(sha256Hex(text)).toBe(digest);
  });

  test('when the input length crosses the padding boundaries (0 to 130 bytes), then it agrees with node:crypto', () => {
    for (let length = 0; length <= 130; length++) {
      const text = 'x'.repeat(length);
      expect([length, sha256Hex(text)]).toEqual([length, nodeSha256(text)]);
    }
  });

  test.each([
    ['two-byte characters', 'Größe über Maß'],
    ['three-byte characters', '€ 50.000 für 変更'],
    ['four-byte characters (surrogate pairs)', '😀🚀 𝄞'],
    ['55 bytes ending in a two-byte character', `${'a'.repeat(53)}é`],
    ['56 bytes ending in a three-byte character', `${'a'.repeat(53)}€`],
    ['64 bytes ending in a four-byte character', `${'a'.repeat(60)}😀`],
    ['a lone high surrogate', 'before \ud800 after'],
    ['a lone low surrogate at the end', 'end \udc00'],
    ['a long text', 'policy "x" version 1\n'.repeat(5000)],
  ])('when hashing %s, then it agrees with node:crypto', (_case, text) => {
    expect(sha256Hex(text)).toBe(nodeSha256(text));
  });

  test('when hashing random strings of any code points, then it agrees with node:crypto', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expect(sha256Hex(text)).toBe(nodeSha256(text));
      }),
      { numRuns: 500 },
    );
  });

  test('when hashing random UTF-16 strings (lone surrogates included), then it agrees with node:crypto', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
        (text) => {
          expect(sha256Hex(text)).toBe(nodeSha256(text));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('utf8Bytes', () => {
  test('when encoding random strings, then the bytes equal TextEncoder output', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(Array.from(utf8Bytes(text))).toEqual(Array.from(new TextEncoder().encode(text)));
      }),
    );
  });
});

describe('sha256HexOfBytes', () => {
  test('when hashing random bytes, then it agrees with node:crypto', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(sha256HexOfBytes(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
      }),
    );
  });
});
