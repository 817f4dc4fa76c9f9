// Policy uploads: the body shape shared by validate and publish, compiling it with the DSL front
// end, and the summaries the policy routes answer with. A failed compile is a 422 whose
// diagnostics have exactly the shape of `charter check --format json`, so CI scripts parse one
// format whether they check locally or against the server.
import { z } from 'zod';
import type { CompiledPolicy } from '../../engine/ir/types.js';
import type { PolicySummary } from '../../store/index.js';
import { compileEntry, memoryHost } from '../../dsl/index.js';
import { toJson, type DiagnosticJson } from '../../dsl/diagnostics/render.js';
import { ApiError } from '../errors.js';

/** The entry's name when a single-file policy is uploaded as `{ source }`. */
export const SINGLE_FILE_ENTRY = 'policy.charter';

const MAX_FILES = 50;
const filePath = z
  .string()
  .min(1)
  .max(300)
  .regex(/^[^\0]+\.charter$/, 'expected a path ending in .charter');

/**
 * One object with both shapes' fields optional rather than a union: a union's failure is one
 * issue at the root, while this reports the missing or unexpected field by its path.
 */
export const uploadSchema = z
  .strictObject({
    source: z.string().min(1).optional(),
    entry: filePath.optional(),
    files: z.record(filePath, z.string()).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.source !== undefined) {
      for (const key of ['entry', 'files'] as const) {
        if (body[key] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'give either `source` or `entry` with `files`',
          });
        }
      }
      return;
    }
    if (body.entry === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['source'],
        message: 'required: `source`, or `entry` with `files`',
      });
      return;
    }
    if (body.files === undefined) {
      ctx.addIssue({ code: 'custom', path: ['files'], message: 'required with `entry`' });
      return;
    }
    const count = Object.keys(body.files).length;
    if (count > MAX_FILES) {
      ctx.addIssue({ code: 'custom', path: ['files'], message: `at most ${MAX_FILES} files` });
    }
    if (!Object.hasOwn(body.files, body.entry)) {
      ctx.addIssue({ code: 'custom', path: ['entry'], message: '`entry` must be one of the `files`' });
    }
  });

export type Upload = z.infer<typeof uploadSchema>;

export interface Compiled {
  compiled: CompiledPolicy;
  /** Warnings only: a policy with errors does not compile. */
  warnings: DiagnosticJson[];
  /** The texts the IR was compiled from (files the policy never includes are left out). */
  sources: { path: string; text: string }[];
}

/** The compiled upload, or a 422 `invalid-policy` with every diagnostic. */
export function compileUpload(upload: Upload): Compiled {
  const files =
    upload.source !== undefined ? { [SINGLE_FILE_ENTRY]: upload.source } : { ...(upload.files ?? {}) };
  const entry = upload.source !== undefined ? SINGLE_FILE_ENTRY : (upload.entry ?? SINGLE_FILE_ENTRY);
  const outcome = compileEntry(entry, memoryHost(files));
  const diagnostics = outcome.diagnostics.map(toJson);
  if (outcome.compiled === null) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    const message = first
      ? `${first.file}:${first.line}:${first.col}: ${first.message}` +
        (errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : '')
      : 'the policy does not compile';
    throw new ApiError(422, 'invalid-policy', message, [], { diagnostics });
  }
  const used = new Set(outcome.compiled.ir.sources.map((s) => s.path));
  const sources = Object.entries(files)
    .filter(([path]) => used.has(path))
    .map(([path, text]) => ({ path, text }));
  return { compiled: outcome.compiled, warnings: diagnostics, sources };
}

export const diagnosticSchema = z.object({
  file: z.string(),
  line: z.number().int(),
  col: z.number().int(),
  endLine: z.number().int(),
  endCol: z.number().int(),
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  help: z.string().optional(),
  /** Replaces exactly line:col..endLine:endCol; present only when that yields correct text. */
  fix: z.object({ replacement: z.string() }).optional(),
  related: z
    .array(z.object({ message: z.string(), file: z.string(), line: z.number(), col: z.number() }))
    .optional(),
});

export const summarySchema = z.object({
  name: z.string(),
  version: z.number().int(),
  effective: z.string(),
  owner: z.string().nullable(),
  sha256: z.string(),
  irVersion: z.number().int(),
  processes: z.array(z.string()),
  publishedBy: z.string(),
  publishedAt: z.iso.datetime(),
});

export type SummaryJson = z.infer<typeof summarySchema>;

/** Field by field, so that a field added to the stored summary never leaks into the API. */
export function summaryJson(p: PolicySummary): SummaryJson {
  return {
    name: p.name,
    version: p.version,
    effective: p.effective,
    owner: p.owner,
    sha256: p.sha256,
    irVersion: p.irVersion,
    processes: p.processes,
    publishedBy: p.publishedBy,
    publishedAt: p.publishedAt.toISOString(),
  };
}

/** What validate says about a policy that is not published yet. */
export function draftJson(compiled: CompiledPolicy): {
  name: string;
  version: number;
  effective: string;
  owner: string | null;
  sha256: string;
  processes: string[];
} {
  const { policy, processes } = compiled.ir;
  return {
    name: policy.name,
    version: policy.version,
    effective: policy.effective,
    owner: policy.owner,
    sha256: compiled.sha256,
    processes: processes.map((p) => p.name),
  };
}
