// Which version of each published policy a request starts under: the highest version whose
// effective day has come (the UTC day, as the API's store decides it), and the next one waiting
// for its day, if any. Pure, so the chooser and the form agree with each other and with the API.

export interface PolicyVersion {
  name: string;
  version: number;
  effective: string;
  owner: string | null;
  processes: string[];
  publishedBy: string;
  publishedAt: string;
  /** Set when the version (or its whole policy) is retired: it starts no new request. */
  retired?: { at: string; by: string; reason: string } | null;
}

export interface PolicyChoice {
  name: string;
  /** The version new requests start under; null while no version is in effect yet. */
  inEffect: PolicyVersion | null;
  /** The lowest version taking effect later than today, if one is published. */
  upcoming: PolicyVersion | null;
}

/** Today as the store compares effective days: YYYY-MM-DD in UTC. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

export function policyChoices(versions: readonly PolicyVersion[], today: string): PolicyChoice[] {
  const byName = new Map<string, PolicyVersion[]>();
  for (const v of versions) byName.set(v.name, [...(byName.get(v.name) ?? []), v]);
  return [...byName.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, all]) => {
      const newestFirst = [...all].sort((a, b) => b.version - a.version);
      // Retired versions start nothing; the newest one still in force takes over, as in the store.
      const inEffect = newestFirst.find((v) => v.effective <= today && !v.retired) ?? null;
      const later = newestFirst.filter(
        (v) => v.effective > today && !v.retired && (inEffect === null || v.version > inEffect.version),
      );
      return { name, inEffect, upcoming: later[later.length - 1] ?? null };
    });
}
