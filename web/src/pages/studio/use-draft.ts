// The draft the studio shows, and how it is chosen when the page opens: the address
// (/studio?policy=<name>&version=<n>) opens that version's sources as the next version, unless
// this tab already holds a draft of it (a reload keeps what was typed); a bare /studio resumes
// the tab's draft or starts from the template. Every change, the test file's and added or removed
// library files too, is kept in sessionStorage.
import { useCallback, useEffect, useRef, useState } from 'react';
import { type ApiFailure, asFailure } from '../../api-client/client.js';
import { type Draft, draftFromVersion, storeDraft, storedDraft, templateDraft } from './draft.js';

export interface DraftState {
  /** null while a published version is being read. */
  draft: Draft | null;
  /** Counts the drafts shown on this page: a new one resets the editor's documents. */
  generation: number;
  failure: ApiFailure | null;
  /** The latest draft, typing included (the state above follows only file switches and loads). */
  current: () => Draft | null;
  /** Whether the text differs from what the draft started as. */
  edited: () => boolean;
  start: (draft: Draft) => void;
  /** One file's new text (from the editor). */
  edit: (path: string, text: string) => void;
  /** The test file's new text (from the Tests tab). */
  editTests: (text: string) => void;
  show: (path: string) => void;
  /** A new library file beside the entry, shown at once. */
  addFile: (path: string, text: string) => void;
  /** A library file dropped from the draft; the entry is shown if it was the one open. */
  removeFile: (path: string) => void;
  retry: () => void;
}

/** `?policy=&version=` as a version to open, or null. */
function wanted(query: URLSearchParams): { policy: string; version: number } | null {
  const policy = query.get('policy');
  const version = Number(query.get('version'));
  return policy && Number.isInteger(version) && version > 0 ? { policy, version } : null;
}

export function useDraft(query: URLSearchParams, owner: string): DraftState {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [generation, setGeneration] = useState(0);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [attempt, setAttempt] = useState(0);
  const latest = useRef<Draft | null>(null);
  const startedAs = useRef('');
  const saveTimer = useRef<number | undefined>(undefined);

  const start = useCallback((next: Draft): void => {
    latest.current = next;
    startedAs.current = JSON.stringify(next.files);
    storeDraft(next);
    setDraft(next);
    setFailure(null);
    setGeneration((g) => g + 1);
  }, []);

  const target = wanted(query);
  const targetKey = target ? `${target.policy}@${target.version}` : '';
  useEffect(() => {
    const stored = storedDraft();
    if (!target) {
      start(stored ?? templateDraft(owner, new Date()));
      return undefined;
    }
    if (stored?.origin?.policy === target.policy && stored.origin.version === target.version) {
      start(stored);
      return undefined;
    }
    let live = true;
    setDraft(null);
    draftFromVersion(target.policy, target.version).then(
      (loaded) => live && start(loaded),
      (error: unknown) => live && setFailure(asFailure(error)),
    );
    return () => {
      live = false;
    };
    // The address (and a retry) decides; `target` is derived from it.
  }, [targetKey, attempt]);

  useEffect(() => () => window.clearTimeout(saveTimer.current), []);

  const edit = useCallback((path: string, text: string): void => {
    const now = latest.current;
    if (!now) return;
    latest.current = { ...now, files: { ...now.files, [path]: text } };
    window.clearTimeout(saveTimer.current);
    saveTimer.current = window.setTimeout(() => latest.current && storeDraft(latest.current), 300);
  }, []);

  const editTests = useCallback((text: string): void => {
    const now = latest.current;
    if (!now) return;
    latest.current = { ...now, tests: text };
    window.clearTimeout(saveTimer.current);
    saveTimer.current = window.setTimeout(() => latest.current && storeDraft(latest.current), 300);
  }, []);

  const show = useCallback((path: string): void => {
    const now = latest.current;
    if (!now || now.active === path) return;
    latest.current = { ...now, active: path };
    storeDraft(latest.current);
    setDraft(latest.current);
  }, []);

  // File changes are stored at once, not after a pause: they are not keystrokes.
  const replace = useCallback((next: Draft): void => {
    window.clearTimeout(saveTimer.current);
    latest.current = next;
    storeDraft(next);
    setDraft(next);
  }, []);

  const addFile = useCallback(
    (path: string, text: string): void => {
      const now = latest.current;
      if (!now || Object.hasOwn(now.files, path)) return;
      replace({ ...now, files: { ...now.files, [path]: text }, active: path });
    },
    [replace],
  );

  const removeFile = useCallback(
    (path: string): void => {
      const now = latest.current;
      if (!now || path === now.entry || !Object.hasOwn(now.files, path)) return;
      const files = { ...now.files };
      delete files[path];
      replace({ ...now, files, active: now.active === path ? now.entry : now.active });
    },
    [replace],
  );

  return {
    draft,
    generation,
    failure,
    current: () => latest.current,
    edited: () => latest.current !== null && JSON.stringify(latest.current.files) !== startedAs.current,
    start,
    edit,
    editTests,
    show,
    addFile,
    removeFile,
    retry: () => setAttempt((a) => a + 1),
  };
}
