import { createHash } from 'node:crypto';
import { canonicalJson, hashPolicyIR, type PolicyIR } from '../../../engine/ir/index.js';
import { sampleIR } from './ir-sample.js';

/** The same value with every object's keys inserted in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  );
}

type Leaf = { parent: Record<string, unknown> | unknown[]; key: string | number; value: unknown };

/** Every primitive (or null) in the tree, with the container that holds it. */
function leaves(value: unknown, found: Leaf[] = []): Leaf[] {
  if (value === null || typeof value !== 'object') return found;
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  for (const [key, child] of entries) {
    if (child === null || typeof child !== 'object')
      found.push({ parent: value as Leaf['parent'], key, value: child });
    else leaves(child, found);
  }
  return found;
}

function changed(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
      return `${value}x`;
    case 'number':
      return value + 1;
    case 'boolean':
      return !value;
    default:
      return 'was null';
  }
}

describe('hashPolicyIR', () => {
  test('when hashed, then it is the sha256 of the canonical JSON as node:crypto computes it', () => {
    const ir = sampleIR();
    const expected = createHash('sha256').update(canonicalJson(ir), 'utf8').digest('hex');
    expect(hashPolicyIR(ir)).toBe(expected);
  });

  test('when every object has its keys in another order, then the hash is the same', () => {
    const ir = sampleIR();
    const reordered = reverseKeys(ir) as PolicyIR;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(ir));
    expect(hashPolicyIR(reordered)).toBe(hashPolicyIR(ir));
  });

  test('when the IR goes through JSON and back, then the hash is the same', () => {
    const ir = sampleIR();
    expect(hashPolicyIR(JSON.parse(JSON.stringify(ir)) as PolicyIR)).toBe(hashPolicyIR(ir));
  });

  test('when any single value anywhere in the IR changes, then the hash changes', () => {
    const original = hashPolicyIR(sampleIR());
    const count = leaves(sampleIR()).length;
    expect(count).toBeGreaterThan(300);
    const unchanged: string[] = [];
    for (let i = 0; i < count; i++) {
      const ir = sampleIR();
      const leaf = leaves(ir)[i]!;
      (leaf.parent as Record<string | number, unknown>)[leaf.key] = changed(leaf.value);
      if (hashPolicyIR(ir) === original) unchanged.push(`${String(leaf.key)}=${String(leaf.value)}`);
    }
    expect(unchanged).toEqual([]);
  });

  test('when two list items swap places, then the hash changes', () => {
    const ir = sampleIR();
    ir.processes[0]!.steps.reverse();
    expect(hashPolicyIR(ir)).not.toBe(hashPolicyIR(sampleIR()));
  });
});
