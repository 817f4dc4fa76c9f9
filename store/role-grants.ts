// Roles an admin granted to people of the directory (`role_grants`, `_id` = the person id): what
// single sign-on adds to the roles a person's groups map to (api/oidc/), and what taking a role
// away ends (their sessions, tokens carrying it). One plain document per person, with the roles
// before its last change and a version that counts the changes: the ledger event of a change is
// keyed by that version, so a retry after a failed ledger write records the same change once
// (api/directory/roles.ts). Tokens keep the roles they were issued with; grants do not touch them.
//
// Concurrency: a change is a conditional write on the version read (or an insert, which the unique
// `_id` decides): of two admins saving at once, one wins and the other reads again and retries, so
// every change's "before" is the roles it really replaced.
import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import { ROLES, type Role } from './access.js';
import { isDuplicateKey, parseDoc, validDate } from './documents.js';
import type { CollectionSpec } from './manifest.js';

const ROLE_GRANTS = 'role_grants';
const MAX_ATTEMPTS = 5;

export interface RoleGrant {
  person: string;
  /** In ROLES order, each once. */
  roles: Role[];
  /** The roles before the last change (none before the first). */
  previous: Role[];
  /** How many times the roles changed: 1 after the first grant. */
  version: number;
  updatedAt: Date;
  updatedBy: string;
}

const grantSchema = z.object({
  _id: z.string().min(1),
  roles: z.array(z.enum(ROLES)),
  previous: z.array(z.enum(ROLES)),
  version: z.number().int().min(1),
  updatedAt: validDate,
  updatedBy: z.string().min(1),
});

/** `roles` once each, in the order of ROLES: two equal sets of roles are equal arrays. */
export const canonicalRoles = (roles: readonly Role[]): Role[] => ROLES.filter((r) => roles.includes(r));

const sameRoles = (a: readonly Role[], b: readonly Role[]): boolean =>
  a.length === b.length && a.every((r, i) => r === b[i]);

const toGrant = (raw: unknown): RoleGrant => {
  const { _id, ...rest } = parseDoc(grantSchema, raw, ROLE_GRANTS);
  return { person: _id, ...rest };
};

export class RoleGrantConflictError extends Error {
  override name = 'RoleGrantConflictError';
}

export class RoleGrants {
  private readonly grants: Collection<{ _id: string; [field: string]: unknown }>;

  constructor(db: Db) {
    this.grants = db.collection(ROLE_GRANTS);
  }

  /** The person's grant, or null when no admin ever granted them a role. */
  async of(person: string): Promise<RoleGrant | null> {
    const raw = await this.grants.findOne({ _id: person });
    return raw === null ? null : toGrant(raw);
  }

  /** The roles granted to `person` now (none when no admin ever granted any). */
  async rolesOf(person: string): Promise<Role[]> {
    return (await this.of(person))?.roles ?? [];
  }

  /**
   * Sets the person's roles. Answers the grant as stored afterwards and whether this call changed
   * it; setting the roles a person has already writes nothing.
   */
  async set(
    person: string,
    roles: readonly Role[],
    at: Date,
    by: string,
  ): Promise<{ grant: RoleGrant; changed: boolean }> {
    const wanted = canonicalRoles(roles);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.of(person);
      if (current !== null && sameRoles(current.roles, wanted)) return { grant: current, changed: false };
      if (current === null && wanted.length === 0) {
        return {
          grant: { person, roles: [], previous: [], version: 0, updatedAt: at, updatedBy: by },
          changed: false,
        };
      }
      const grant: RoleGrant = {
        person,
        roles: wanted,
        previous: current?.roles ?? [],
        version: (current?.version ?? 0) + 1,
        updatedAt: at,
        updatedBy: by,
      };
      const { person: _id, ...fields } = grant;
      if (current === null) {
        try {
          await this.grants.insertOne({ _id, ...fields });
          return { grant, changed: true };
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          continue;
        }
      }
      const result = await this.grants.updateOne({ _id, version: current.version }, { $set: fields });
      if (result.modifiedCount === 1) return { grant, changed: true };
    }
    throw new RoleGrantConflictError(
      `the roles of ${person} changed under this change ${MAX_ATTEMPTS} times in a row; try again`,
    );
  }
}

/** This module's collection (store/manifest.ts): read and written by `_id` only. */
export const roleGrantCollections: CollectionSpec[] = [
  {
    name: ROLE_GRANTS,
    holds:
      'the roles an admin granted one person of the directory, by person id, with the version of the change',
    shardKey: { _id: 'hashed' },
    indexes: [],
  },
];
