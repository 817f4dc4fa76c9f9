// A project as a form holds it while someone types: every field as text, turned into the body the
// API takes (POST /v1/projects, PATCH /v1/projects/{code}) only on save. The form checks nothing
// itself: what is wrong comes back from the API with its field path (`body.budget.amount`) and is
// shown at that field, so the console and a script are told the same thing.
import type { paths } from '../../api-client/client.js';
import type { Health, Project } from './project-view.js';

export type CreateBody = paths['/v1/projects']['post']['requestBody']['content']['application/json'];
export type PatchBody = NonNullable<
  paths['/v1/projects/{code}']['patch']['requestBody']
>['content']['application/json'];

export interface Draft {
  code: string;
  name: string;
  phase: string;
  manager: string;
  sponsor: string;
  amount: string;
  currency: string;
  start: string;
  end: string;
  health: Health;
  reason: string;
  /** Tags as typed: separated by commas, semicolons or spaces. */
  tags: string;
}

/** A new project's form, with what a link prefilled (`/portfolio/new?code=INTRANET&name=intranet`). */
export function newDraft(prefill: { code?: string; name?: string; phase?: string } = {}): Draft {
  return {
    code: prefill.code ?? '',
    name: prefill.name ?? '',
    phase: prefill.phase ?? '',
    manager: '',
    sponsor: '',
    amount: '',
    currency: 'EUR',
    start: '',
    end: '',
    health: 'green',
    reason: '',
    tags: '',
  };
}

/** The form of an existing project, as it is stored. */
export function draftOf(p: Project): Draft {
  return {
    code: p.code,
    name: p.name,
    phase: p.phase,
    manager: p.manager ?? '',
    sponsor: p.sponsor ?? '',
    amount: p.budget?.amount ?? '',
    currency: p.budget?.currency ?? 'EUR',
    start: p.start ?? '',
    end: p.end ?? '',
    health: p.health.status,
    reason: p.health.reason ?? '',
    tags: p.tags.join(', '),
  };
}

const orNull = (text: string): string | null => (text.trim() === '' ? null : text.trim());

/** The fields every body shares: empty text is "none"; an amount alone still goes, for the API to name. */
function fieldsOf(d: Draft) {
  return {
    name: d.name,
    phase: d.phase,
    manager: orNull(d.manager),
    sponsor: orNull(d.sponsor),
    budget: d.amount.trim() === '' ? null : { amount: d.amount.trim(), currency: d.currency.trim() },
    start: orNull(d.start),
    end: orNull(d.end),
    health: { status: d.health, reason: orNull(d.reason) },
    tags: d.tags
      .split(/[\s,;]+/)
      .map((t) => t.trim())
      .filter((t) => t !== ''),
  };
}

export const createBody = (d: Draft): CreateBody => ({ code: d.code.trim(), ...fieldsOf(d) });

/** Every field, and the version the form was filled from: a change made in between is a 409. */
export const patchBody = (d: Draft, version: number): PatchBody => ({ version, ...fieldsOf(d) });
