// What a browser downloads before the inbox can run: the entry script of web/dist/index.html and
// every chunk it imports statically (Vite lists them as modulepreload links and imports them from
// the entry), gzipped as a server would send them. The lazily loaded screens are not counted:
// an approver opening the inbox from a phone does not fetch them. Budget: 200 KB gzipped.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSize {
  files: { file: string; bytes: number; gzipped: number }[];
  /** Sum over the initial files, gzipped (level 9, as a static server would precompress). */
  gzipped: number;
  bytes: number;
  /** Every JS chunk of the build, gzipped, initial or lazy: what the whole console weighs. */
  allGzipped: number;
}

const staticImports = (code: string): string[] =>
  [...code.matchAll(/\bimport\s*(?:[\w${},\s*]+from\s*)?["']\.\/([\w.-]+\.js)["']/g)].map((m) => m[1] ?? '');

export function initialJavaScript(dist: string): BundleSize {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const entry = /<script type="module"[^>]*src="\/assets\/([^"]+)"/.exec(html)?.[1];
  if (!entry) throw new Error(`${dist}/index.html has no module script`);
  const preloads = [...html.matchAll(/<link rel="modulepreload"[^>]*href="\/assets\/([^"]+)"/g)].map(
    (m) => m[1] ?? '',
  );
  const seen = new Set<string>();
  const queue = [entry, ...preloads];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...staticImports(readFileSync(path.join(dist, 'assets', file), 'utf8')));
  }
  const files = [...seen].map((file) => {
    const content = readFileSync(path.join(dist, 'assets', file));
    return { file, bytes: content.length, gzipped: gzipSync(content, { level: 9 }).length };
  });
  const all = readdirSync(path.join(dist, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((file) => gzipSync(readFileSync(path.join(dist, 'assets', file)), { level: 9 }).length);
  return {
    files,
    gzipped: files.reduce((sum, f) => sum + f.gzipped, 0),
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    allGzipped: all.reduce((a, b) => a + b, 0),
  };
}
