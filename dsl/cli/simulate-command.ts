// `charter simulate <policy> --process P --input in.json [--events ev.json]`: one instance on a
// virtual clock, printed as a timeline. The world (groups, managers, services, capacity) comes
// from --world, else the events file, else the policy's test file, so that a quick simulation of
// a tested policy needs no set-up.
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { formatInstant } from '../../engine/calendar/index.js';
import {
  playScript,
  scriptEntrySchema,
  SimulationError,
  startScenario,
  worldSchema,
} from '../../engine/simulate/index.js';
import { UsageError } from './files.js';
import { EXIT_OK, EXIT_PROBLEMS, type Output } from './language-commands.js';
import {
  compileForRun,
  readJson,
  readWithWorld,
  readTestFile,
  readWorldFile,
  testFileOf,
} from './scenario-files.js';
import { formatTimeline } from '../../engine/text/simulation-text.js';

export interface SimulateOptions {
  process?: string | undefined;
  input?: string | undefined;
  events?: string | undefined;
  world?: string | undefined;
  start?: string | undefined;
  as?: string | undefined;
  timezone?: string | undefined;
  json: boolean;
}

const eventsFileSchema = z.union([
  z.array(scriptEntrySchema),
  z.strictObject({
    timezone: z.string().optional(),
    start: z.string().optional(),
    startedBy: z.string().optional(),
    world: worldSchema.optional(),
    script: z.array(scriptEntrySchema),
  }),
]);

export function simulateCommand(policyFile: string, options: SimulateOptions, io: Output): number {
  if (options.process === undefined) throw new UsageError('name the process to start with --process P');
  if (options.input === undefined) throw new UsageError('give the process input with --input in.json');
  const policy = compileForRun(policyFile, (text) => io.err(text));
  if (!policy) return EXIT_PROBLEMS;
  const events = options.events === undefined ? null : readWithWorld(options.events, eventsFileSchema);
  const scenarioFile = events === null || Array.isArray(events) ? null : events;
  const tests = existsSync(testFileOf(policyFile)) ? readTestFile(testFileOf(policyFile)) : null;
  const world =
    options.world !== undefined ? readWorldFile(options.world) : (scenarioFile?.world ?? tests?.world);
  const timezone =
    options.timezone ??
    scenarioFile?.timezone ??
    tests?.timezone ??
    policy.ir.calendars[0]?.timezone ??
    'UTC';
  // Without a start anywhere, now: a simulation is a question about today unless told otherwise.
  const start =
    options.start ?? scenarioFile?.start ?? tests?.start ?? formatInstant(Date.now(), 'UTC').slice(4, 20);
  const sim = startScenario(
    policy,
    {
      name: 'simulate',
      process: options.process,
      start,
      startedBy: options.as ?? scenarioFile?.startedBy ?? 'requester',
      input: inputObject(options.input),
      script: [],
    },
    {
      timezone:
        options.start === undefined && scenarioFile?.start === undefined && tests?.start === undefined
          ? 'UTC'
          : timezone,
      world: world ?? worldSchema.parse({}),
    },
  );
  if (typeof sim === 'string') {
    io.err(`charter simulate: ${sim}\n`);
    return EXIT_PROBLEMS;
  }
  const failures: string[] = [];
  try {
    playScript(sim, Array.isArray(events) ? events : (scenarioFile?.script ?? []), timezone, failures);
  } catch (error) {
    if (!(error instanceof SimulationError)) throw error;
    failures.push(error.message);
  }
  if (options.json) {
    io.out(
      JSON.stringify(
        {
          status: sim.state.status,
          message: sim.state.message,
          timeline: sim.timeline,
          blockedOn: sim.blockedOn(),
          openTasks: sim.openTasks(),
          failures,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    io.out(
      `${options.process} of "${policy.ir.policy.name}" version ${policy.ir.policy.version} (sha256 ${policy.sha256.slice(0, 12)}), times in ${timezone}\n`,
    );
    io.out(formatTimeline(sim, timezone).join('\n') + '\n');
    for (const failure of failures) io.err(`charter simulate: ${failure}\n`);
  }
  return failures.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

function inputObject(file: string): Record<string, unknown> {
  const raw = readJson(file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UsageError(`${file}: the input must be a JSON object`);
  return raw as Record<string, unknown>;
}
