// The IR schema on handovers (`handover: true` on a ladder level or an `on timeout escalate`),
// read from the golden language case so that front end, snapshot and schema agree: the flag is
// accepted only as `true`, and its absence means the escalation adds people as it always did.
import { readFileSync } from 'node:fs';
import { parseCompiledPolicy, parsePolicyIR, type PolicyIR } from '../../../engine/ir/index.js';

const golden = 'test/golden/ir/cases/escalation-handover.json';

/** The compiled golden case as plain JSON, to be mangled by a test. */
const compiledJson = (): { ir: PolicyIR; sha256: string } =>
  JSON.parse(readFileSync(golden, 'utf8')) as { ir: PolicyIR; sha256: string };

function approval(ir: PolicyIR, index: number) {
  const step = ir.processes[0]?.steps[index];
  if (step?.kind !== 'approve') throw new Error(`step ${index} of the golden case is not an approval`);
  return step;
}

describe('IR schema: handovers', () => {
  test('when the golden case is read, then its handovers survive and its hash still matches', () => {
    const { ir } = parseCompiledPolicy(compiledJson());

    expect(approval(ir, 0).onTimeout).toMatchObject({ action: 'escalate', handover: true });
    expect(approval(ir, 1).escalations.map((e) => e.handover)).toEqual([undefined, true]);
    expect(approval(ir, 1).onTimeout).not.toHaveProperty('handover');
  });

  test('when a handover flag is false, then it is refused: absence is the only way to say "adds"', () => {
    const { ir } = compiledJson();
    (approval(ir, 1).escalations[1] as unknown as { handover: boolean }).handover = false;

    expect(() => parsePolicyIR(ir)).toThrow(
      'invalid policy IR: processes[0].steps[1].escalations[1].handover: expected true',
    );
  });

  test('when a handover flag is present but undefined, then it is refused like any other non-true value', () => {
    const { ir } = compiledJson();
    const timeout = approval(ir, 0).onTimeout as unknown as { handover: undefined };
    timeout.handover = undefined;

    expect(() => parsePolicyIR(ir)).toThrow('invalid policy IR: processes[0].steps[0].onTimeout.handover');
  });

  test('when a reject timeout carries a handover flag, then it is an unknown key', () => {
    const { ir } = compiledJson();
    const step = approval(ir, 1);
    (step as unknown as { onTimeout: unknown }).onTimeout = {
      action: 'reject',
      message: null,
      handover: true,
      span: step.span,
    };

    expect(() => parsePolicyIR(ir)).toThrow(
      'invalid policy IR: processes[0].steps[1].onTimeout: unknown key `handover`',
    );
  });
});
