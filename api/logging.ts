// The production processes' logs: one JSON object a line (pino) on stdout, for whatever collects
// them (journald, a container runtime, a log shipper). A request is one line with its id (also the
// `x-request-id` answer header, so a user's report leads to the line), route template, status,
// time, person and instance; never headers or bodies. Messages pass through `scrub` on the way
// out, because the one place a secret could still slip in is a message quoting something it was
// given: a token (`chr_...`), a password in a connection string, a signing key.
import { pino, type Logger } from 'pino';
import type { RequestLogEntry } from './deps.js';

const TOKEN = /chr_[A-Za-z0-9_-]{8,}/g;
const URI_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]+@/gi;
const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;

/** `text` with tokens, URI passwords and private keys replaced by markers. */
export function scrub(text: string): string {
  return text
    .replace(TOKEN, 'chr_[redacted]')
    .replace(URI_CREDENTIALS, '$1[redacted]@')
    .replace(PEM, '[private key redacted]');
}

export interface ProcessLog {
  /** A line about the process (started, stopping, a configuration problem), with an error if any. */
  line: (text: string, error?: unknown) => void;
  request: (entry: RequestLogEntry) => void;
  /** Writes what is buffered (before the process exits). */
  flush: () => void;
}

/** JSON lines on `destination` (stdout by default) for `charter serve` / `charter worker`. */
export function processLog(service: 'serve' | 'worker', destination?: NodeJS.WritableStream): ProcessLog {
  const logger: Logger = pino(
    {
      base: { service: `charter-${service}`, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Defence in depth: nothing here logs these, but an error's own fields might carry them.
      redact: {
        paths: ['*.authorization', '*.token', '*.password', '*.secret', 'error.config'],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
  return {
    line(text, error) {
      if (error === undefined) {
        logger.info(scrub(text));
        return;
      }
      const err = error instanceof Error ? error : new Error(JSON.stringify(error) ?? 'unknown error');
      logger.error(
        { error: { type: err.name, message: scrub(err.message), stack: scrub(err.stack ?? '') } },
        scrub(text),
      );
    },
    request(entry) {
      const level = entry.status >= 500 ? 'error' : 'info';
      logger[level]({ ...entry, kind: 'request' }, `${entry.method} ${entry.route} ${entry.status}`);
    },
    flush() {
      logger.flush();
    },
  };
}
