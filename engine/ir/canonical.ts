// Canonical JSON: one byte sequence per value, so that a policy's hash depends only on what it
// says, never on the order in which a compiler, a database or a JSON parser happened to lay out
// its keys. Rules: object keys sorted by UTF-16 code unit (JavaScript's default string order,
// which every reader of this code can reproduce), no whitespace, arrays in order, strings and
// numbers as JSON.stringify writes them (so -0 becomes 0 and strings are escaped the standard way).
//
// Anything that JSON cannot represent faithfully is refused rather than silently rewritten the
// way JSON.stringify does (NaN to null, a Date to a string, a Map to {}): a hash over a silently
// changed value would certify something the policy never said.

/** Thrown for a value that has no canonical JSON form; `path` locates it, e.g. `$.steps[2].sla`. */
export class CanonicalJsonError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`canonicalJson: ${reason} at ${path}`);
    this.name = 'CanonicalJsonError';
  }
}

/** Serializes `value` as canonical JSON; throws CanonicalJsonError for anything JSON cannot hold. */
export function canonicalJson(value: unknown): string {
  return write(value, '$', new Set());
}

function write(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value))
        throw new CanonicalJsonError(path, `${String(value)} is not a JSON number`);
      return JSON.stringify(value);
    case 'undefined':
      throw new CanonicalJsonError(path, 'undefined is not a JSON value');
    case 'bigint':
    case 'symbol':
    case 'function':
      throw new CanonicalJsonError(path, `a ${typeof value} is not a JSON value`);
    case 'object':
      if (value === null) return 'null';
      return writeContainer(value, path, ancestors);
  }
}

function writeContainer(value: object, path: string, ancestors: Set<object>): string {
  // A cycle would recurse forever; a shared (non-cyclic) subtree is fine and written twice.
  if (ancestors.has(value)) throw new CanonicalJsonError(path, 'a circular reference is not JSON');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      // Checked by index, not with map(): map() skips holes, which would hide a sparse array.
      const items: string[] = [];
      for (let i = 0; i < value.length; i++) items.push(write(value[i], `${path}[${i}]`, ancestors));
      return `[${items.join(',')}]`;
    }
    if (!isPlainObject(value)) {
      const name = value.constructor?.name ?? 'unknown';
      throw new CanonicalJsonError(path, `a ${name} is not a plain object`);
    }
    if (Object.getOwnPropertySymbols(value).length > 0) {
      throw new CanonicalJsonError(path, 'a symbol-keyed property is not JSON');
    }
    const record = value as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const member = record[key];
      // An undefined property is omitted, as JSON.stringify does: the IR reaches the store and
      // comes back through JSON, where `{ a: undefined }` can only return as `{}`. Both must hash
      // the same, or a policy read back from the store would no longer match its own hash.
      if (member === undefined) continue;
      members.push(`${JSON.stringify(key)}:${write(member, memberPath(path, key), ancestors)}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}

/**
 * True for `{...}` literals, JSON.parse results and Object.create(null). Compared structurally
 * rather than with `=== Object.prototype` because the IR crosses realms: Temporal's workflow
 * sandbox and jest's vm modules each have their own Object.prototype.
 */
function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null) return true;
  return Object.getPrototypeOf(proto) === null && Object.prototype.toString.call(value) === '[object Object]';
}

const identifier = /^[A-Za-z_$][\w$]*$/;

function memberPath(path: string, key: string): string {
  return identifier.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}
