// The one workflow type: a policy instance. It starts the machine from the pinned policy (or the
// state handed over by continue-as-new), then loops: carry out the commands, take the next event,
// step. People act, and check services report late results, through Updates validated by the
// engine; status, explanation and blocked-on are Queries; Temporal cancellation cancels the
// instance, closing its open tasks first.
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { blockedOn, explain, start } from '../../engine/machine/index.js';
import { workflowNow } from './clock.js';
import { InstanceDriver } from './driver.js';
import {
  attestUpdate,
  blockedOnQuery,
  cancelUpdate,
  decideUpdate,
  explainQuery,
  reportCheckUpdate,
  type AttestInput,
  type CancelInput,
  type CheckReport,
  type DecideInput,
  type InstanceArgs,
  type InstanceResult,
  statusQuery,
  waiveUpdate,
  type WaiveInput,
} from './messages.js';

/**
 * Well below Temporal's own suggestion (10k events / 10 MB), so that reminder loops of long
 * instances keep histories small and replays fast.
 */
const DEFAULT_HISTORY_LIMIT = 2_000;

export async function charterInstance(args: InstanceArgs): Promise<InstanceResult> {
  let driver: InstanceDriver;
  if ('state' in args) {
    driver = new InstanceDriver(args.state, args.transition);
  } else {
    const out = start(args.policy, args.process, args.input, {
      instanceId: args.instanceId,
      startedAt: workflowNow(),
      startedBy: args.startedBy,
    });
    driver = new InstanceDriver(out.state, 1, out.commands);
  }
  const historyLimit = args.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  registerHandlers(driver);
  try {
    for (;;) {
      await driver.drain();
      if (driver.ended)
        return { status: driver.state.status as InstanceResult['status'], message: driver.state.message };
      if (driver.idle && historyIsLong(historyLimit)) {
        await condition(allHandlersFinished);
        return await continueAsNew<typeof charterInstance>({
          state: driver.state,
          transition: driver.transition,
          ...(args.historyLimit === undefined ? {} : { historyLimit: args.historyLimit }),
        });
      }
      const event = await driver.next();
      if (event) driver.apply(event);
    }
  } catch (error) {
    if (!isCancellation(error) || driver.ended) throw error;
    // Close tasks and timers and record who cancelled before the run ends as cancelled.
    await CancellationScope.nonCancellable(async () => {
      driver.apply({
        kind: 'cancel',
        at: workflowNow(),
        actor: 'temporal',
        reason: 'the workflow was cancelled in Temporal',
      });
      await driver.drain();
    });
    throw error;
  }
}

function historyIsLong(limit: number): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > limit;
}

function registerHandlers(driver: InstanceDriver): void {
  const at = (): number => workflowNow();
  setHandler(decideUpdate, (input) => driver.act({ kind: 'decide', at: at(), ...input }), {
    validator: (input: DecideInput) => driver.check({ kind: 'decide', at: at(), ...input }),
  });
  setHandler(attestUpdate, (input) => driver.act({ kind: 'attest', at: at(), ...input }), {
    validator: (input: AttestInput) => driver.check({ kind: 'attest', at: at(), ...input }),
  });
  setHandler(waiveUpdate, (input) => driver.act({ kind: 'waive', at: at(), ...input }), {
    validator: (input: WaiveInput) => driver.check({ kind: 'waive', at: at(), ...input }),
  });
  setHandler(cancelUpdate, (input) => driver.act({ kind: 'cancel', at: at(), ...input }), {
    validator: (input: CancelInput) => driver.check({ kind: 'cancel', at: at(), ...input }),
  });
  setHandler(reportCheckUpdate, (input) => driver.report(input), {
    validator: (input: CheckReport) => driver.checkReport(input),
  });
  setHandler(statusQuery, () => {
    const { instance, state } = driver;
    return {
      instanceId: state.instanceId,
      policy: instance.policy,
      process: state.process,
      status: state.status,
      message: state.message,
      startedAt: state.startedAt,
      startedBy: state.startedBy,
      endedAt: state.endedAt,
      results: state.results,
      blockedOn: blockedOn(state),
    };
  });
  setHandler(explainQuery, () => explain(driver.state));
  setHandler(blockedOnQuery, () => blockedOn(driver.state));
}
