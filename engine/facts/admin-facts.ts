// Facts of administration: who was given access to Charter, who lost it, what an admin changed in
// the directory and which key signs the ledger. The API (and a worker, for its signing key) writes
// them on the ledger's one `admin` chain, so that an auditor reads every change of access in one
// place, in order, tamper-evident like the process facts. Monitor operations are written there too,
// with their own kinds (monitor-facts.ts), beside the monitor's chain.

export type AdminFact =
  /** An API token was issued: to whom, with which roles, until when (ISO instant, or none). */
  | {
      kind: 'tokenIssued';
      token: string;
      person: string;
      roles: string[];
      label: string;
      expiresAt: string | null;
      by: string;
    }
  /**
   * A token stopped working: revoked by `by` (an admin or its person), or, with `because`, when an
   * admin took away a role it carries (rolesChanged names the same tokens) or made its person
   * inactive in the directory (directoryChanged names them).
   */
  | {
      kind: 'tokenRevoked';
      token: string;
      person: string;
      label: string;
      by: string;
      because?: 'roles-removed' | 'person-deactivated';
    }
  /**
   * An admin changed the roles granted to a person (what single sign-on adds to their groups'
   * roles): before and after, and what taking roles away ended at once: the person's browser
   * sessions and the ids of their live tokens that carried a removed role.
   */
  | {
      kind: 'rolesChanged';
      person: string;
      /**
       * Counts the changes of this person's roles (1 for the first): two admins saving at once
       * may reach the ledger in either order, and the versions say which replaced which.
       */
      version: number;
      from: string[];
      to: string[];
      by: string;
      sessionsEnded: number;
      tokensRevoked: string[];
    }
  /** The first admin token of an installation, made by `charter serve` itself: nobody issued it. */
  | { kind: 'adminBootstrapped'; token: string; person: string; expiresAt: string }
  /**
   * A person or group of the directory created or changed: the fields that changed, old and new;
   * a person made inactive also says what that ended at once (their sessions and live tokens).
   */
  | {
      kind: 'directoryChanged';
      entry: 'person' | 'group';
      id: string;
      created: boolean;
      changes: { field: string; from: string; to: string }[];
      by: string;
      ended?: { sessionsEnded: number; tokensRevoked: string[] };
    }
  /**
   * An admin imported people from a CSV file (name, manager and delivery fields): how many rows,
   * who was added, and whose name or manager changed, old and new.
   */
  | {
      kind: 'peopleImported';
      rows: number;
      added: string[];
      changed: { id: string; changes: { field: string; from: string; to: string }[] }[];
      by: string;
    }
  /** A worker started with a key to sign the ledger's heads that no worker had started with before. */
  | { kind: 'signingKeyAdded'; keyId: string; algorithm: string };

export const ADMIN_FACT_KINDS: Record<AdminFact['kind'], true> = {
  tokenIssued: true,
  tokenRevoked: true,
  rolesChanged: true,
  adminBootstrapped: true,
  directoryChanged: true,
  peopleImported: true,
  signingKeyAdded: true,
};

export const isAdminFact = (fact: { kind: string }): fact is AdminFact => fact.kind in ADMIN_FACT_KINDS;

const roleList = (roles: readonly string[]): string => (roles.length === 0 ? 'no roles' : roles.join(', '));

/** `manager from (none) to pat`; a list that only grew or shrank (group members) says just that. */
const changeText = (c: { field: string; from: string; to: string }): string =>
  c.from === ''
    ? `${c.field}: ${c.to}`
    : c.to === ''
      ? `${c.field}: ${c.from}`
      : `${c.field} from ${c.from} to ${c.to}`;

/** `; ended 2 browser sessions and revoked tokens 0a1b..., 2c3d...`. */
const endedText = (ended: { sessionsEnded: number; tokensRevoked: string[] }): string =>
  `; ended ${ended.sessionsEnded} browser session${ended.sessionsEnded === 1 ? '' : 's'}` +
  (ended.tokensRevoked.length === 0 ? '' : ` and revoked tokens ${ended.tokensRevoked.join(', ')}`);

/**
 * `admin@x granted pat@x approver (now approver, auditor)`; a removal also says what it ended:
 * `...; ended 2 sessions and revoked tokens 0a1b..., 2c3d...`.
 */
function rolesChangedSentence(fact: Extract<AdminFact, { kind: 'rolesChanged' }>): string {
  const added = fact.to.filter((r) => !fact.from.includes(r));
  const removed = fact.from.filter((r) => !fact.to.includes(r));
  const parts = [
    ...(added.length > 0 ? [`granted ${fact.person} ${added.join(', ')}`] : []),
    ...(removed.length > 0 ? [`took ${removed.join(', ')} away from ${fact.person}`] : []),
  ];
  const ended = removed.length === 0 ? '' : endedText(fact);
  return `${fact.by} ${parts.join(' and ')} (now ${roleList(fact.to)})${ended}`;
}

/** `admin@x imported 3 people from a CSV file: added a@x; changed b@x (manager from c@x to d@x)`. */
function peopleImportedSentence(fact: Extract<AdminFact, { kind: 'peopleImported' }>): string {
  const parts = [
    ...(fact.added.length > 0 ? [`added ${fact.added.join(', ')}`] : []),
    ...(fact.changed.length > 0
      ? [`changed ${fact.changed.map((c) => `${c.id} (${c.changes.map(changeText).join('; ')})`).join(', ')}`]
      : []),
  ];
  const what = parts.length > 0 ? parts.join('; ') : 'no names or managers changed (delivery fields only)';
  return `${fact.by} imported ${fact.rows} ${fact.rows === 1 ? 'person' : 'people'} from a CSV file: ${what}`;
}

/** The sentence of an admin fact. */
export function adminSentence(fact: AdminFact): string {
  switch (fact.kind) {
    case 'tokenIssued':
      return (
        `${fact.by} issued token ${fact.token} ("${fact.label}") to ${fact.person} with ${roleList(fact.roles)}, ` +
        (fact.expiresAt === null ? 'not expiring' : `expiring ${fact.expiresAt}`)
      );
    case 'tokenRevoked':
      return (
        `${fact.by} revoked token ${fact.token} ("${fact.label}") of ${fact.person}` +
        (fact.because === 'roles-removed'
          ? ': it carried a role taken away'
          : fact.because === 'person-deactivated'
            ? ': its person was made inactive'
            : '')
      );
    case 'rolesChanged':
      return rolesChangedSentence(fact);
    case 'adminBootstrapped':
      return `charter serve made the first admin token ${fact.token} for ${fact.person}, expiring ${fact.expiresAt}`;
    case 'directoryChanged': {
      const what = `${fact.entry} ${fact.id}`;
      if (fact.created) return `${fact.by} added ${what} to the directory`;
      const changes = fact.changes.map(changeText).join('; ');
      return `${fact.by} changed ${what}: ${changes}${fact.ended ? endedText(fact.ended) : ''}`;
    }
    case 'peopleImported':
      return peopleImportedSentence(fact);
    case 'signingKeyAdded':
      return `a worker started with the new ledger signing key ${fact.keyId} (${fact.algorithm})`;
  }
}
