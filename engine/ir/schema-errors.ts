// How a document that is not a valid IR is reported (schema.ts parses): one line per problem,
// leading with the field path as a reader would write it in code, so that whoever wrote the bad
// document (a store migration, an API client, a hand edit) sees at once which field is wrong.
import type { z } from 'zod';

/** `processes[0].steps[2].quorum.count`: the path as a reader would write it in code. */
function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text === '' ? '(root)' : text;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value;
}

const optionList = (values: readonly unknown[]): string => values.map((v) => JSON.stringify(v)).join(', ');

/**
 * One line per issue, leading with the field path. Zod reports a failed plain union as the
 * failures of every branch; the branch with the fewest failures is the one the writer most likely
 * meant, so that one is reported, with its path continued from the union's.
 */
function formatIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[] = []): string {
  const path = [...prefix, ...issue.path];
  const at = formatPath(path);
  switch (issue.code) {
    case 'invalid_type':
      return `${at}: expected ${issue.expected}, received ${describeValue(issue.input)}`;
    case 'unrecognized_keys':
      return `${at}: unknown ${issue.keys.length === 1 ? 'key' : 'keys'} ${issue.keys.map((k) => `\`${k}\``).join(', ')}`;
    case 'invalid_value':
      return `${at}: expected ${issue.values.length === 1 ? '' : 'one of '}${optionList(issue.values)}`;
    case 'invalid_union': {
      if (issue.discriminator !== undefined) {
        const options = 'options' in issue && issue.options !== undefined ? issue.options : [];
        return `${at}: expected one of ${optionList(options)}`;
      }
      // A branch that failed only because the value has the wrong basic type says nothing about
      // what was meant; if every branch failed that way, list the types that would have done.
      const wrongType = (branch: z.core.$ZodIssue[]) =>
        branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0;
      const meant = issue.errors.filter((branch) => branch.length > 0 && !wrongType(branch));
      const closest = meant.sort((a, b) => a.length - b.length)[0]?.[0];
      if (closest !== undefined) return formatIssue(closest, path);
      const expected = issue.errors.flatMap((branch) =>
        branch[0]?.code === 'invalid_type' ? [branch[0].expected] : [],
      );
      return `${at}: expected ${[...new Set(expected)].join(' or ')}, received ${describeValue(issue.input)}`;
    }
    default:
      return `${at}: ${issue.message}`;
  }
}

/** Thrown when a document is not a valid IR; the message leads with the failing field path. */
export class PolicyIRError extends Error {
  override name = 'PolicyIRError';
}

export function parseWith<T>(schema: z.ZodType<T>, what: string, json: unknown): T {
  const result = schema.safeParse(json, { reportInput: true });
  if (result.success) return result.data;
  const [first, ...rest] = result.error.issues.map((issue) => formatIssue(issue));
  const more = rest.length === 0 ? '' : ` (and ${rest.length} more)`;
  throw new PolicyIRError(`invalid ${what}: ${first ?? 'unknown problem'}${more}`);
}
