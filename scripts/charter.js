#!/usr/bin/env node
// The `charter` executable (`npx charter` from a clone): loads the TypeScript sources through tsx,
// so there is no build step to forget, then runs the command line.
import { register } from 'tsx/esm/api';

register();
// `charter compile p.charter | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
const io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
};

/** Runs one command line; the exit code goes to process.exitCode, so output is flushed first. */
async function main(args) {
  const command = args[0];
  // `charter help <command> [sub]` is `charter <command> [sub] --help`, whichever part answers it.
  if (command === 'help' && args.length > 1) return main([...args.slice(1), '--help']);
  // Every command, for `charter --help` (stdout, exit 0) and a bare `charter` (stderr, exit 2).
  if (args.length === 0 || (args.length === 1 && ['help', '--help', '-h'].includes(command))) {
    const { USAGE } = await import('../dsl/cli/main.ts');
    const { CLIENT_USAGE } = await import('../api/cli/main.ts');
    const { DB_USAGE } = await import('../store/db-command.ts');
    const usage = `${USAGE}\n${CLIENT_USAGE}\n${DB_USAGE}`;
    if (args.length > 0) return void process.stdout.write(usage);
    process.stderr.write(`${usage}\ncharter: name a command\n`);
    process.exitCode = 2;
    return;
  }
  // Long-running commands live in their own layers.
  // `serve` (the API) and `worker` take nothing or `--config FILE`; anything else (`--help`, a
  // mistake) goes to the language commands, which print their usage.
  const processArgs = args.length === 1 || (args.length === 3 && args[1] === '--config');
  if ((command === 'worker' || command === 'serve') && processArgs) {
    const log = (line) => process.stderr.write(`${line}\n`);
    const { processEnvironment, serve } = await import('../api/serve-main.ts');
    const env = processEnvironment(command, args.slice(1), process.env, log);
    if (env === null) {
      process.exitCode = 2;
    } else if (command === 'serve') {
      process.exitCode = await serve(env, log);
    } else {
      // JSON lines unless asked for text (the worker's own configuration check still says a bad value).
      const { processLog } = await import('../api/logging.ts');
      const json = env.CHARTER_LOG_FORMAT !== 'text' ? processLog('worker') : null;
      const { main: worker } = await import('../workflows/worker-main.ts');
      process.exitCode = await worker(env, json ? (line) => json.line(line) : log);
      json?.flush();
    }
    process.exit();
  }
  // The database commands connect to MONGODB_URI; only store/ speaks to MongoDB.
  if (command === 'db') {
    const { dbCommand, DB_USAGE } = await import('../store/db-command.ts');
    const { wantsHelp } = await import('../dsl/cli/usage.ts');
    if (wantsHelp(args.slice(1))) return void process.stdout.write(DB_USAGE);
    process.exitCode = await dbCommand(args.slice(1), io);
    process.exit();
  }
  // The API client commands are async and talk HTTP; the language commands never need the
  // network. No process.exit() after them: an export piped to a file must be flushed first.
  const { CLIENT_COMMANDS, runClient } = await import('../api/cli/main.ts');
  if (CLIENT_COMMANDS.has(command)) {
    process.exitCode = await runClient(args, io);
  } else {
    const { run } = await import('../dsl/cli/main.ts');
    process.exitCode = run(args, io, { otherCommands: [...CLIENT_COMMANDS, 'db'] });
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  // A bug, not a user error: say so plainly, with the stack for the bug report.
  process.stderr.write(`charter: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 3;
}
