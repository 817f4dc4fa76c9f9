// The policies Charter ships are its first users: each must check clean, compile to IR that the
// schema accepts, and together they must exercise every capability of the language.
import { readdirSync } from 'node:fs';
import { compileEntry } from '../../../dsl/index.js';
import { diskHost } from '../../../dsl/cli/files.js';
import { parseCompiledPolicy } from '../../../engine/ir/index.js';
import { featuresOf } from './ir-features.js';

const policies = readdirSync('policies')
  .filter((name) => name.endsWith('.charter'))
  .map((name) => `policies/${name}`);

const compiled = policies.map((file) => ({ file, ...compileEntry(file, diskHost) }));

const CAPABILITIES = [
  'use of a library',
  'policy owner',
  'calendar holidays',
  'calendar working week',
  'rule because',
  'role member group',
  'role member person',
  'role member role',
  'type text',
  'type number',
  'type money with currency',
  'type money any currency',
  'type percentage',
  'type duration',
  'type date',
  'type boolean',
  'type person',
  'type enum',
  'type list',
  'input optional',
  'input default',
  'step approve',
  'quorum any',
  'quorum all',
  'quorum majority',
  'quorum atLeast',
  'quorum N of M',
  'quorum percent',
  'approve veto',
  'approve segregation of duties',
  'approve distinct from',
  'approve business-time SLA',
  'approve plain SLA',
  'approve reminders',
  'approve escalation ladder',
  'on timeout reject',
  'on timeout approve',
  'on timeout escalate',
  'on timeout hand over',
  'on timeout fail',
  'approve allow delegation',
  'approve allow changes',
  'approve require qualification',
  'approver role',
  'approver group',
  'approver person',
  'approver managerOf',
  'approver expr',
  'excluded expr',
  'check rule',
  'check external',
  'check attest',
  'attest with evidence',
  'external check retries',
  'on fail stop rejected',
  'on fail stop cancelled',
  'on fail continue flagged',
  'on fail waiver',
  'waiver expiry',
  'step reallocate',
  'reallocate priority high',
  'step notify',
  'template hole',
  'wait for',
  'wait until',
  'step if',
  'else if',
  'else',
  'parallel cancelOthers',
  'parallel finishOthers',
  'parallel multi-step branch',
  'end approved',
  'end rejected',
  'end cancelled',
  'expr and',
  'expr or',
  'expr not',
  'expr neg',
  'expr eq',
  'expr ne',
  'expr lt',
  'expr le',
  'expr gt',
  'expr ge',
  'expr in',
  'expr add',
  'expr sub',
  'expr mul',
  'expr div',
  'expr list',
  'expr input',
  'expr stepResult',
  'expr rule',
  'literal money',
  'literal percentage',
  'literal duration',
  'literal date',
  'literal boolean',
  'literal text',
  'literal number',
  'function count',
  'function length',
  'function contains',
  'function lower',
  'function upper',
  'function min',
  'function max',
  'function is_set',
  'function days_between',
  'step result approved',
  'step result outcome',
  'step result approvers',
  'step result passed',
];

describe('shipped policies', () => {
  test('when the folder is listed, then it holds at least six policies', () => {
    expect(policies.length).toBeGreaterThanOrEqual(6);
  });

  test.each(compiled)(
    'when $file is compiled, then it has no diagnostics and valid IR',
    ({ compiled, diagnostics }) => {
      expect(diagnostics).toEqual([]);
      expect(compiled).not.toBeNull();
      expect(parseCompiledPolicy(JSON.parse(JSON.stringify(compiled)))).toEqual(compiled);
    },
  );

  test('when all compiled policies are taken together, then every capability of the language appears', () => {
    const seen = new Set(compiled.flatMap(({ compiled }) => (compiled ? [...featuresOf(compiled.ir)] : [])));

    expect(CAPABILITIES.filter((feature) => !seen.has(feature))).toEqual([]);
  });

  test('when a policy is compiled twice, then the bytes and the hash are the same', () => {
    const again = compileEntry(policies[0] as string, diskHost).compiled;

    expect(JSON.stringify(again)).toBe(JSON.stringify(compiled[0]?.compiled));
  });
});
