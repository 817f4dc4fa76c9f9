// What the studio edits: a draft of one policy (its entry file and the libraries open beside it),
// where it came from, and its copy in sessionStorage, so that a reload, a failed publish or a
// slip of the back button never loses what was typed. A draft starts from a template or from a
// published version's sources, renumbered as the next version (publishing is always a new one).
import { parse } from '../../../../dsl/index.js';
import { api, unwrap } from '../../api-client/client.js';

export interface Draft {
  /** The file that holds `policy "..." version N`; the others are libraries it may `use`. */
  entry: string;
  files: Record<string, string>;
  /** The file shown in the editor. */
  active: string;
  /** The published version it was opened from, or null for a new policy. */
  origin: { policy: string; version: number } | null;
  /** The policy's test file (`<policy>.test.json`) as typed or opened in the Tests tab; never published. */
  tests?: string;
}

const STORAGE_KEY = 'charter.studio.draft';
export const NEW_ENTRY = 'policy.charter';

const isoDay = (date: Date): string =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

/** A small policy that checks clean, so an author starts from something that works. */
export function templateDraft(owner: string, today: Date): Draft {
  const text = `# A new policy: name it, declare who decides, and describe each process.
policy "new-policy" version 1 effective ${isoDay(today)}
owner "${owner}"

role approver = group "approvers"

process request {
  input {
    title: text
  }
  approve review {
    by approver
  }
}
`;
  return { entry: NEW_ENTRY, files: { [NEW_ENTRY]: text }, active: NEW_ENTRY, origin: null };
}

function isDraft(value: unknown): value is Draft {
  const d = value as Draft | null;
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof d.entry === 'string' &&
    typeof d.active === 'string' &&
    typeof d.files === 'object' &&
    d.files !== null &&
    typeof d.files[d.entry] === 'string' &&
    typeof d.files[d.active] === 'string' &&
    (d.tests === undefined || typeof d.tests === 'string') &&
    Object.values(d.files).every((t) => typeof t === 'string')
  );
}

/** The draft kept for this tab, or null (none, or storage is not available). */
export function storedDraft(): Draft | null {
  try {
    const raw = window.sessionStorage.getItem(STORAGE_KEY);
    const value: unknown = raw === null ? null : JSON.parse(raw);
    return isDraft(value) ? value : null;
  } catch {
    return null;
  }
}

export function storeDraft(draft: Draft): void {
  try {
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(draft));
  } catch {
    // Storage full or refused (private mode): the draft still lives in the page.
  }
}

export function forgetDraft(): void {
  try {
    window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing to forget.
  }
}

/** `text` with its `version N` set to `version`, when the header parses; else as it is. */
export function withVersion(text: string, path: string, version: number): string {
  const header = parse(text, path).ast.header;
  if (header?.kind !== 'policy') return text;
  const span = header.version.span;
  return `${text.slice(0, span.offset)}${version}${text.slice(span.end)}`;
}

/** A published version's sources as a draft of the next version. */
export async function draftFromVersion(policy: string, version: number): Promise<Draft> {
  const found = await unwrap(
    api.GET('/v1/policies/{name}/versions/{version}', { params: { path: { name: policy, version } } }),
  );
  const files: Record<string, string> = {};
  for (const source of found.sources) files[source.path] = source.text;
  const entry =
    found.sources.find((s) => parse(s.text, s.path).ast.header?.kind === 'policy')?.path ??
    found.sources[0]?.path ??
    NEW_ENTRY;
  files[entry] = withVersion(files[entry] ?? '', entry, version + 1);
  return { entry, files, active: entry, origin: { policy, version } };
}

/** The header the confirmation shows: name, version and effective date as written. */
export interface DraftHeader {
  name: string;
  version: number;
  effective: string;
  owner: string | null;
}

export function headerOf(draft: Draft): DraftHeader | null {
  const header = parse(draft.files[draft.entry] ?? '', draft.entry).ast.header;
  if (header?.kind !== 'policy') return null;
  return {
    name: header.name.value,
    version: header.version.value,
    effective: header.effective.value,
    owner: header.owner?.value ?? null,
  };
}
