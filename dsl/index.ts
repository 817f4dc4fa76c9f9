// The language front end as one small facade: parse, check, compile, format. The stages behind
// it run in this order because each needs the previous one's result: parse every file (program),
// resolve names and types (check), and only on an error-free check lower to IR (compile).
import type { CompiledPolicy } from '../engine/ir/types.js';
import { check } from './check/index.js';
import { compile } from './compile/index.js';
import { type Diagnostic, hasErrors, sortDiagnostics } from './diagnostics/diagnostic.js';
import { loadProgram, type Program, type SourceHost } from './program.js';

export { parse } from './parse/index.js';
export { format } from './format/index.js';
export type { Diagnostic } from './diagnostics/diagnostic.js';
export type { Program, SourceHost } from './program.js';

export interface CheckOutcome {
  program: Program | null;
  diagnostics: Diagnostic[];
}

/** Every diagnostic of a policy (or library) and of the libraries it uses. */
export function checkEntry(entry: string, host: SourceHost): CheckOutcome {
  const loaded = loadProgram(entry, host);
  if (!loaded.program) return { program: null, diagnostics: sortDiagnostics(loaded.diagnostics) };
  const checked = check(loaded.program);
  return {
    program: loaded.program,
    diagnostics: sortDiagnostics([...loaded.diagnostics, ...checked.diagnostics]),
  };
}

export interface CompileOutcome {
  compiled: CompiledPolicy | null;
  diagnostics: Diagnostic[];
}

/** The compiled policy, or null with the diagnostics that prevented it. Warnings do not. */
export function compileEntry(entry: string, host: SourceHost): CompileOutcome {
  const loaded = loadProgram(entry, host);
  if (!loaded.program || hasErrors(loaded.diagnostics)) {
    return { compiled: null, diagnostics: sortDiagnostics(loaded.diagnostics) };
  }
  const header = loaded.program.main.ast.header;
  if (header?.kind === 'library') {
    // A library checks clean on its own (so `charter check` accepts it) but runs nowhere.
    const libraryOnly: Diagnostic = {
      code: 'CH3001',
      severity: 'error',
      message: `\`${entry}\` is a library: only a policy can be compiled`,
      file: entry,
      span: header.span,
      help: 'compile a policy that `use`s this library',
    };
    return { compiled: null, diagnostics: sortDiagnostics([...loaded.diagnostics, libraryOnly]) };
  }
  const checked = check(loaded.program);
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...checked.diagnostics]);
  if (hasErrors(diagnostics)) return { compiled: null, diagnostics };
  return { compiled: compile(loaded.program, checked.model), diagnostics };
}

/** A host over an in-memory map, for tests and for the API (uploads carry their libraries). */
export function memoryHost(files: Record<string, string>): SourceHost {
  return {
    readFile: (path) => files[path],
    resolve: (from, spec) => joinPath(dirname(from), spec),
  };
}

function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/** POSIX-style join that folds `.` and `..`, without Node's path module (dsl/ does no I/O). */
export function joinPath(base: string, spec: string): string {
  if (spec.startsWith('/')) return normalize(spec);
  return normalize(base === '' ? spec : `${base}/${spec}`);
}

function normalize(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part !== '..' || !absolute) out.push(part);
  }
  return (absolute ? '/' : '') + out.join('/');
}
