// The IR's public face: the types, their runtime schema, canonical JSON and the hash that names a
// compiled policy. Everything outside engine/ir imports from here, never from the files behind it.
import { canonicalJson } from './canonical.js';
import { sha256Hex } from './sha256.js';
import type { PolicyIR } from './types.js';

export * from './types.js';
export * from './schema.js';
export * from './canonical.js';
export * from './decimal.js';
export * from './sha256.js';
export * from './diff.js';

/**
 * The identity of a compiled policy: the SHA-256 of its canonical JSON. Two compilations of the
 * same source give the same hash; any change to what the policy says gives a different one.
 * parseCompiledPolicy (schema.ts) recomputes exactly this.
 */
export function hashPolicyIR(ir: PolicyIR): string {
  return sha256Hex(canonicalJson(ir));
}
