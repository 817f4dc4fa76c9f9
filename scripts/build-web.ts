// Builds the web console (web/) into web/dist when its sources changed since the last build, so
// `npm start` and `npm test` always serve a console that matches the code, and a second run costs
// a hash of the sources instead of a build. The hash covers what the bundle is made of: web/'s
// sources, the pure engine and dsl code it imports (the studio runs the real checker), and
// package-lock.json (a dependency's new version).
//
//   tsx scripts/build-web.ts           build if needed
//   tsx scripts/build-web.ts --force   build anyway
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** web/dist; CHARTER_WEB_OUT builds elsewhere (parallel work on one clone must not share one). */
const OUT = path.resolve(root, process.env['CHARTER_WEB_OUT'] ?? 'web/dist');
const STAMP = path.join(OUT, '.source-sha256');
const SOURCES = ['web/src', 'web/index.html', 'web/vite.config.ts', 'engine', 'dsl', 'package-lock.json'];

function filesUnder(entry: string): string[] {
  const full = path.join(root, entry);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [entry];
  return readdirSync(full)
    .sort()
    .flatMap((name) => filesUnder(path.join(entry, name)));
}

/** sha256 over every source file's path and content, in a stable order. */
export function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of SOURCES.flatMap(filesUnder)) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(root, file)))
      .update('\0');
  }
  return hash.digest('hex');
}

/** Builds web/dist unless it was built from these very sources; says what it did. */
export async function ensureConsoleBuilt(
  log: (line: string) => void = () => undefined,
  options: { force?: boolean } = {},
): Promise<'built' | 'up to date'> {
  const wanted = sourceHash();
  const built = existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : null;
  if (built === wanted && existsSync(path.join(OUT, 'index.html')) && options.force !== true)
    return 'up to date';
  log(`building the web console (web/ into ${path.relative(root, OUT) || OUT})`);
  const started = Date.now();
  const { build } = await import('vite');
  // React picks its development build from NODE_ENV: a build started under jest (NODE_ENV=test)
  // would ship it, twice the size and slower. The console is always built for production.
  process.env['NODE_ENV'] = 'production';
  await build({
    mode: 'production',
    configFile: path.join(root, 'web/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: OUT, emptyOutDir: true },
  });
  writeFileSync(STAMP, `${wanted}\n`);
  log(`web console built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 'built';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outcome = await ensureConsoleBuilt((line) => process.stdout.write(`[build-web] ${line}\n`), {
    force: process.argv.includes('--force'),
  });
  if (outcome === 'up to date') process.stdout.write('[build-web] web/dist is up to date\n');
}
