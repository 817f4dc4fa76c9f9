import type { Diagnostic } from '../../../dsl/diagnostics/diagnostic.js';
import { loadProgram, type SourceHost } from '../../../dsl/program.js';

/** An in-memory host: paths resolve against the using file's folder, `..` folded. */
function host(files: Record<string, string>, reads: string[] = []): SourceHost {
  return {
    readFile: (path) => {
      reads.push(path);
      return files[path];
    },
    resolve: (from, spec) => {
      const parts = [...from.split('/').slice(0, -1), ...spec.split('/')];
      const out: string[] = [];
      for (const part of parts) {
        if (part === '..') out.pop();
        else if (part !== '.') out.push(part);
      }
      return out.join('/');
    },
  };
}

const where = (d: Diagnostic) => `${d.code} ${d.file}:${d.span.line}:${d.span.col} ${d.message}`;

const header = 'policy "p" version 1 effective 2026-01-01\nowner "a@b.c"\n';

describe('loadProgram', () => {
  test('when a policy uses libraries, then each is parsed once and kept in first-use order', () => {
    const reads: string[] = [];
    const files = {
      'policies/main.charter': `${header}use "../shared/org.charter"\nuse "calendars.charter"\n`,
      'shared/org.charter': 'library "org"\nuse "../policies/calendars.charter"\nrole cab = group "cab"\n',
      'policies/calendars.charter': 'library "cal"\n',
    };

    const { program, diagnostics } = loadProgram('policies/main.charter', host(files, reads));

    expect(diagnostics).toEqual([]);
    expect(program?.main.path).toBe('policies/main.charter');
    expect(program?.libraries.map((l) => l.path)).toEqual([
      'shared/org.charter',
      'policies/calendars.charter',
    ]);
    expect(program?.libraries[0]?.ast.declarations.map((d) => d.name.name)).toEqual(['cab']);
    expect(reads).toEqual(['policies/main.charter', 'shared/org.charter', 'policies/calendars.charter']);
  });

  test('when the entry file cannot be read, then there is no program and CH3002 names the file', () => {
    const { program, diagnostics } = loadProgram('nowhere.charter', host({}));

    expect(program).toBeNull();
    expect(diagnostics.map(where)).toEqual(['CH3002 nowhere.charter:1:1 cannot read `nowhere.charter`']);
  });

  test('when a used file does not exist, then CH3002 points at the path in the use', () => {
    const files = { 'a/main.charter': `${header}use "../lib/missing.charter"\n` };

    const { program, diagnostics } = loadProgram('a/main.charter', host(files));

    expect(program?.libraries).toEqual([]);
    expect(diagnostics.map(where)).toEqual([
      'CH3002 a/main.charter:3:5 cannot find `../lib/missing.charter` (looked for `lib/missing.charter`)',
    ]);
    expect(diagnostics[0]?.help).toBe('paths in `use` are relative to the file that uses them');
  });

  test('when libraries use each other in a circle, then CH3003 reports the use closing it, once', () => {
    const files = {
      'main.charter': `${header}use "a.charter"\n`,
      'a.charter': 'library "a"\nuse "b.charter"\n',
      'b.charter': 'library "b"\nuse "a.charter"\n',
    };

    const { program, diagnostics } = loadProgram('main.charter', host(files));

    expect(program?.libraries.map((l) => l.path)).toEqual(['a.charter', 'b.charter']);
    expect(diagnostics.map(where)).toEqual([
      'CH3003 b.charter:2:5 this `use` closes a cycle: `a.charter` → `b.charter` → `a.charter`',
    ]);
  });

  test('when a file uses itself, then that is a cycle too', () => {
    const files = { 'main.charter': `${header}use "main.charter"\n` };

    const { diagnostics } = loadProgram('main.charter', host(files));

    expect(diagnostics.map(where)).toEqual([
      'CH3003 main.charter:3:5 this `use` closes a cycle: `main.charter` → `main.charter`',
    ]);
  });

  test('when a used file is a policy, then CH3004 is reported and its declarations stay out', () => {
    const files = {
      'main.charter': `${header}use "other.charter"\n`,
      'other.charter': `${header}role cab = group "cab"\n`,
    };

    const { program, diagnostics } = loadProgram('main.charter', host(files));

    expect(program?.libraries).toEqual([]);
    expect(diagnostics.map(where)).toEqual(['CH3004 main.charter:3:5 `other.charter` is not a library']);
  });

  test('when a file uses the same library twice, then CH3005 warns at the second use', () => {
    const files = {
      'main.charter': `${header}use "lib.charter"\nuse "./lib.charter"\n`,
      'lib.charter': 'library "lib"\n',
    };

    const { program, diagnostics } = loadProgram('main.charter', host(files));

    expect(program?.libraries.map((l) => l.path)).toEqual(['lib.charter']);
    expect(diagnostics.map(where)).toEqual([
      'CH3005 main.charter:4:5 `./lib.charter` is already used by this file',
    ]);
    expect(diagnostics[0]?.severity).toBe('warning');
    expect(diagnostics[0]?.related?.[0]?.span.line).toBe(3);
  });

  test('when a library declares a process, then the parser diagnostic is passed on, not repeated', () => {
    const files = {
      'main.charter': `${header}use "lib.charter"\n`,
      'lib.charter': 'library "lib"\nprocess p { input { } }\n',
    };

    const { diagnostics } = loadProgram('main.charter', host(files));

    expect(diagnostics.map(where)).toEqual(['CH2017 lib.charter:2:9 library cannot declare process `p`']);
  });

  test('when two files fail to find the same library, then each use gets its own diagnostic', () => {
    const files = {
      'main.charter': `${header}use "lib.charter"\nuse "gone.charter"\n`,
      'lib.charter': 'library "lib"\nuse "gone.charter"\n',
    };

    const { diagnostics } = loadProgram('main.charter', host(files));

    expect(diagnostics.map(where)).toEqual([
      'CH3002 lib.charter:2:5 cannot find `gone.charter`',
      'CH3002 main.charter:4:5 cannot find `gone.charter`',
    ]);
  });
});
