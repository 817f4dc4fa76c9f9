// Every MongoDB repository of Charter, opened on one database at its schema version with the
// manifest's indexes in place. The worker and the API get a Store and never see a Mongo type beyond it.
import type { Db } from 'mongodb';
import { accessCollections, IdempotencyRecords } from './access.js';
import { ApiTokens, tokenCollections } from './tokens.js';
import { AuditLedger, auditCollections } from './audit.js';
import { CapacityStore, capacityCollections } from './capacity.js';
import { commentCollections, CommentStore } from './comments.js';
import { dashboardCollections, DashboardStore } from './dashboards.js';
import { loadCollections } from './dashboard-load.js';
import { Deliveries, deliveryCollections } from './deliveries.js';
import { DeliveryQuota, deliveryQuotaCollections } from './delivery-quota.js';
import { Directory, directoryCollections } from './directory.js';
import { DeliverySettings } from './directory-delivery.js';
import { DirectoryQueries } from './directory-queries.js';
import { findingCollections, FindingStore } from './findings.js';
import { ledgerHeadCollections, LedgerHeads } from './ledger-heads.js';
import { ledgerTreeCollections, LedgerTree } from './ledger-tree.js';
import { monitorScheduleCollections, MonitorSchedules } from './monitor-schedules.js';
import { instanceCollections, InstanceViews } from './instances.js';
import { applyManifest, type CollectionSpec } from './manifest.js';
import { InAppNotifications, notificationCollections } from './notifications.js';
import { Outbox, outboxCollections } from './outbox.js';
import { PeopleCapacity } from './people-capacity.js';
import { policyCollections, PolicyStore } from './policies.js';
import { policyRetirementCollections, type PolicyRetirements } from './policy-retirements.js';
import { projectCollections, ProjectStore } from './projects.js';
import { qualificationCollections, QualificationStore } from './qualifications.js';
import { ensureSchema } from './schema.js';
import { RefusalLog } from './refusals.js';
import { KeyedLedger } from './keyed-ledger.js';
import { AdminLog } from './admin-log.js';
import { OperationsGauges } from './operations.js';
import { ReportQueries } from './reports.js';
import { roleGrantCollections, RoleGrants } from './role-grants.js';
import { oidcLoginCollections, OidcLogins } from './oidc-logins.js';
import { sessionCollections, SessionStore } from './sessions.js';
import { taskCollections, TaskStore } from './tasks.js';

export interface Store {
  policies: PolicyStore;
  /** Retired policy versions and policies (the repository `policies` skips them with). */
  policyRetirements: PolicyRetirements;
  audit: AuditLedger;
  tasks: TaskStore;
  views: InstanceViews;
  /** Signed integration webhooks (people's notifications go through `deliveries`). */
  outbox: Outbox;
  /** The notifications' delivery queue: a document per (notice, channel), and digests. */
  deliveries: Deliveries;
  /** The console's bell: every notice a person received, read or not. */
  notifications: InAppNotifications;
  /** Per-recipient hourly limits on mail and chat. */
  deliveryQuota: DeliveryQuota;
  directory: Directory;
  /** People's delivery profiles and notification preferences, on their directory documents. */
  deliverySettings: DeliverySettings;
  /** Pages of people, groups and delegations, a person's groups and absence: the API's reads. */
  directoryQueries: DirectoryQueries;
  capacity: CapacityStore;
  /** People as capacity holders (pool `@people`, skill = person id) over the same ledger. */
  peopleCapacity: PeopleCapacity;
  tokens: ApiTokens;
  idempotency: IdempotencyRecords;
  /** Browser sessions of the console (cookie + CSRF token), beside bearer tokens. */
  sessions: SessionStore;
  /** The roles admins granted people: what single sign-on adds to their groups' roles. */
  roleGrants: RoleGrants;
  /** Single sign-on logins under way: started by one API process, finished by any. */
  oidcLogins: OidcLogins;
  comments: CommentStore;
  /** The portfolio: projects by code, their version history, the PMO's phase list. */
  projects: ProjectStore;
  /** The PMO's qualifications and who completed them: standing on a day, holders, expiries. */
  qualifications: QualificationStore;
  /** Findings of protocol monitors: opened and closed by monitor runs, acted on by people. */
  findings: FindingStore;
  refusals: RefusalLog;
  /** Ledger chains with several writers (monitor runs, findings): each event once, by key. */
  keyedLedger: KeyedLedger;
  /** The ledger's `admin` chain: changes of access, the directory, monitors and signing keys. */
  adminLog: AdminLog;
  /** The ledger's Merkle tree and its signed heads (issue 17). */
  ledgerTree: LedgerTree;
  ledgerHeads: LedgerHeads;
  /** The Temporal Schedules Charter made for monitors, per task queue. */
  monitorSchedules: MonitorSchedules;
  /** Read-only aggregate queries for reports and the compliance summary (no indexes of its own). */
  reports: ReportQueries;
  /** The PMO dashboard's rollups, folded from the ledger's tree (issue 18). */
  dashboards: DashboardStore;
  /** The installation's state for `/metrics` (tasks, outbox, deliveries, instances, ledger). */
  operations: OperationsGauges;
}

/** Every collection of Charter with its indexes and shard key, as `charter db indexes` prints it. */
export const MANIFEST: readonly CollectionSpec[] = [
  ...policyCollections,
  ...policyRetirementCollections,
  ...instanceCollections,
  ...taskCollections,
  ...auditCollections,
  ...ledgerTreeCollections,
  ...ledgerHeadCollections,
  ...outboxCollections,
  ...deliveryCollections,
  ...notificationCollections,
  ...deliveryQuotaCollections,
  ...directoryCollections,
  ...capacityCollections,
  ...commentCollections,
  ...projectCollections,
  ...qualificationCollections,
  ...findingCollections,
  ...monitorScheduleCollections,
  ...accessCollections,
  ...tokenCollections,
  ...sessionCollections,
  ...roleGrantCollections,
  ...oidcLoginCollections,
  ...dashboardCollections,
  ...loadCollections,
];

/**
 * The repositories over `db`: its schema version checked (or stamped, or migrated; see schema.ts)
 * and the manifest's indexes created (idempotent, so every start does it).
 */
export async function openStore(db: Db): Promise<Store> {
  await ensureSchema(db);
  await applyManifest(db, MANIFEST);
  const policies = new PolicyStore(db);
  const outbox = new Outbox(db);
  const deliveries = new Deliveries(db);
  const dashboards = new DashboardStore(db, new LedgerTree(db));
  return {
    policies,
    policyRetirements: policies.retirements,
    audit: new AuditLedger(db),
    tasks: new TaskStore(db),
    views: new InstanceViews(db),
    outbox,
    deliveries,
    notifications: new InAppNotifications(db),
    deliveryQuota: new DeliveryQuota(db),
    directory: new Directory(db),
    deliverySettings: new DeliverySettings(db),
    directoryQueries: new DirectoryQueries(db),
    capacity: new CapacityStore(db),
    peopleCapacity: new PeopleCapacity(new CapacityStore(db)),
    tokens: new ApiTokens(db),
    idempotency: new IdempotencyRecords(db),
    sessions: new SessionStore(db),
    roleGrants: new RoleGrants(db),
    oidcLogins: new OidcLogins(db),
    comments: new CommentStore(db),
    projects: new ProjectStore(db),
    qualifications: new QualificationStore(db),
    findings: new FindingStore(db),
    refusals: new RefusalLog(db),
    keyedLedger: new KeyedLedger(db),
    adminLog: new AdminLog(db),
    ledgerTree: new LedgerTree(db),
    ledgerHeads: new LedgerHeads(db),
    monitorSchedules: new MonitorSchedules(db),
    reports: new ReportQueries(db),
    dashboards,
    operations: new OperationsGauges(db, outbox, deliveries, dashboards),
  };
}

export { mongoClient } from './client.js';
export type { ClientOptions } from './client.js';
export { IdempotencyRecords, ROLES } from './access.js';
export type { IdempotencyRecord, Role } from './access.js';
export { ApiTokens, isLive, tokenIdOf } from './tokens.js';
export type { OperationsSnapshot } from './operations.js';
export { ADMIN_CHAIN, type AdminChange, AdminLog, type MonitorOperation } from './admin-log.js';
export type { ApiToken, NewToken, TokenSummary } from './tokens.js';
export type { Session } from './sessions.js';
export { canonicalRoles, RoleGrantConflictError, RoleGrants } from './role-grants.js';
export type { RoleGrant } from './role-grants.js';
export type { PendingLogin } from './oidc-logins.js';
export { AuditLedger, MissingLinkError } from './audit.js';
export type { AuditEvent, AuditEventInput, AuditFilter, VerifyReport } from './audit.js';
export { CapacityStore, isoWeekOf, isoWeeksFrom } from './capacity.js';
export type { Reallocation, ReallocationResult } from './capacity.js';
export { CommentStore } from './comments.js';
export type { NewComment, TaskComment } from './comments.js';
export { Deliveries, DeliveryNotFoundError, deliveriesOf, DELIVERY_STATUSES } from './deliveries.js';
export type { Delivery, DeliveryStatus, NewDelivery } from './deliveries.js';
export { DeliveryQuota } from './delivery-quota.js';
export { Directory, DirectoryError } from './directory.js';
export { DeliverySettings } from './directory-delivery.js';
export type { DeliverySettingsOf } from './directory-delivery.js';
export { DirectoryQueries } from './directory-queries.js';
export type { Absence, Delegation, KeyPage } from './directory-queries.js';
export {
  FINDING_HEALTH,
  FINDING_STATUSES,
  FindingNotFoundError,
  FindingNotLiveError,
  FindingStore,
  FindingVersionConflictError,
  LIVE_STATUSES,
} from './findings.js';
export type {
  AgeCounts,
  Finding,
  FindingFilter,
  FindingHealth,
  FindingListStatus,
  FindingsReport,
  FindingStatus,
  OpenFinding,
  OpenOutcome,
} from './findings.js';
export { InstanceViews } from './instances.js';
export type { InstanceView } from './instances.js';
export { InAppNotifications } from './notifications.js';
export type { InAppNotification } from './notifications.js';
export { Outbox } from './outbox.js';
export type { OutboxItem, OutboxMessage } from './outbox.js';
export { PolicyConflictError, PolicyStore } from './policies.js';
export type { PolicySummary, PublishedPolicy } from './policies.js';
export { PolicyNotFoundError, PolicyRetirements, policyChainOf } from './policy-retirements.js';
export type { NotInForce, Retirement } from './policy-retirements.js';
export {
  HEALTH,
  ProjectExistsError,
  ProjectNotFoundError,
  ProjectStore,
  ProjectVersionConflictError,
} from './projects.js';
export type { Health, Project, ProjectChange, ProjectFields, ProjectFilter } from './projects.js';
export {
  COMPLETION_SOURCES,
  CompletionConflictError,
  QualificationExistsError,
  QualificationNotFoundError,
  QualificationStore,
  QualificationVersionConflictError,
} from './qualifications.js';
export type {
  Completion,
  CompletionImportOutcome,
  CompletionSource,
  Holder,
  NewCompletion,
  PersonQualification,
  Qualification,
  QualificationFields,
  Standing,
} from './qualifications.js';
export { RefusalLog, refusedChainOf } from './refusals.js';
export { ReportQueries } from './reports.js';
export { DashboardStore, ProjectorConflictError } from './dashboards.js';
export type { Freshness, RollupQuery } from './dashboards.js';
export type { RollupDoc, WaiverDoc } from './dashboard-model.js';
export type { LedgerFact, TaskFact } from './reports.js';
export type { RefusedAttempt } from './refusals.js';
export { TaskStore } from './tasks.js';
export { describeManifest, IndexConflictError } from './manifest.js';
export type { CollectionSpec, IndexSpec } from './manifest.js';
export { InvalidCursorError, isCursorShaped } from './paging.js';
export { SchemaVersionError, SCHEMA_VERSION } from './schema.js';
export type { NewTask, Task, TaskKind } from './tasks.js';
