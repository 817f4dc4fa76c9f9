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
// Long-running commands live in their own layer; the language commands are plain functions.
if (process.argv[2] === 'worker') {
  const { main } = await import('../workflows/worker-main.ts');
  process.exitCode = await main(process.env, (line) => process.stderr.write(`${line}\n`));
  process.exit();
}
// The database commands connect to MONGODB_URI; only store/ speaks to MongoDB.
if (process.argv[2] === 'db') {
  const { dbCommand } = await import('../store/db-command.ts');
  process.exitCode = await dbCommand(process.argv.slice(3), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
  });
  process.exit();
}
// The API client commands are async and talk HTTP; the language commands never need the network.
// No process.exit() after them: an export piped to a file must be flushed completely first.
const { CLIENT_COMMANDS, CLIENT_USAGE, runClient } = await import('../api/cli/main.ts');
const command = process.argv[2];
if (CLIENT_COMMANDS.has(command ?? '')) {
  try {
    process.exitCode = await runClient(process.argv.slice(2), {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
      env: process.env,
    });
  } catch (error) {
    process.stderr.write(
      `charter: internal error: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exitCode = 3;
  }
} else {
  const { run } = await import('../dsl/cli/main.ts');
  try {
    process.exitCode = run(process.argv.slice(2), {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
    });
  } catch (error) {
    // A bug, not a user error: say so plainly, with the stack for the bug report.
    process.stderr.write(
      `charter: internal error: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exitCode = 3;
  }
  if ([undefined, 'help', '--help', '-h'].includes(command)) {
    const { DB_USAGE } = await import('../store/db-command.ts');
    process.stdout.write(`\n${CLIENT_USAGE}\n${DB_USAGE}`);
  }
}
