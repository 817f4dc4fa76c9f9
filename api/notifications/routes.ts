// Routes of notifications: the caller's in-app list (/v1/notifications), how a person is reached
// and what they chose to be told (/v1/directory/people/:id/delivery and .../notification-preferences,
// with /v1/me/... shortcuts for the console), the CSV import of people with their delivery fields,
// and the admins' queue of failed deliveries (/v1/admin/deliveries).
//
// A person's delivery fields and preferences are theirs: they and admins change them; the PMO may
// also read the delivery fields (to see why someone was not reached). Everything in the in-app list
// is rendered here, at read time, in the caller's zone: the store keeps notices as data
// (engine/notices/types.ts), never sentences.
import { z } from 'zod';
import { compose, composeDigest } from '../../engine/notices/compose.js';
import type { DeliveryProfile, NotificationPreferences } from '../../engine/notices/types.js';
import type { Role, Store } from '../../store/index.js';
import { DELIVERY_STATUSES, type Delivery } from '../../store/deliveries.js';
import type { DeliverySettingsOf } from '../../store/directory-delivery.js';
import { DirectoryError } from '../../store/directory.js';
import type { InAppNotification } from '../../store/notifications.js';
import { hasRole } from '../auth.js';
import { recordPeopleImport } from '../directory/admin-record.js';
import { personId } from '../directory/schemas.js';
import { ApiError, forbidden, notFound } from '../errors.js';
import { ALL_ROLES, type Caller, json, route, type RouteSpec, withOwnership } from '../route.js';
import { listedProblems, MAX_CSV_BYTES, readPeopleCsv, unknownManagerProblems } from './import.js';
import {
  deliveriesQuery,
  deliveryProfile,
  deliveryProfileView,
  failedDeliveryView,
  markReadBody,
  notificationPreferences,
  notificationsQuery,
  notificationView,
  preferencesView,
} from './schemas.js';

const personParams = z.object({ id: personId });
const pageOfNotifications = z.object({ items: z.array(notificationView), nextCursor: z.string().nullable() });
const pageOfFailed = z.object({ items: z.array(failedDeliveryView), nextCursor: z.string().nullable() });

/** A known, active person's settings; 404 for anyone else, as for GET /directory/people/:id. */
async function settingsOf(store: Store, id: string): Promise<DeliverySettingsOf> {
  const settings = (await store.deliverySettings.of([id])).get(id);
  if (settings === undefined || !settings.known) throw notFound(`person ${id}`);
  return settings;
}

/** 403 unless the caller is `id` or holds one of `roles`: "may only read their own delivery fields". */
function requireSelfOr(caller: Caller, id: string, roles: Role[], verb: string, what: string): void {
  if (id !== caller.person && !hasRole(caller, ...roles)) {
    throw forbidden(`${caller.person} may only ${verb} their own ${what}, not those of ${id}`);
  }
}

/** Runs a settings write; the store refuses unknown and inactive people, answered as 404. */
async function writeSettings(id: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (error instanceof DirectoryError) throw notFound(`person ${id}`);
    throw error;
  }
}

// What the person routes and their /me shortcuts do, by the id they are about.
const readProfile = async (store: Store, id: string): Promise<DeliveryProfile> =>
  (await settingsOf(store, id)).profile;

async function writeProfile(store: Store, id: string, profile: DeliveryProfile): Promise<DeliveryProfile> {
  await writeSettings(id, () => store.deliverySettings.setProfile(id, profile));
  return readProfile(store, id);
}

const readPreferences = async (store: Store, id: string): Promise<NotificationPreferences> =>
  (await settingsOf(store, id)).preferences;

async function writePreferences(
  store: Store,
  id: string,
  preferences: NotificationPreferences,
): Promise<NotificationPreferences> {
  await writeSettings(id, () => store.deliverySettings.setPreferences(id, preferences));
  return readPreferences(store, id);
}

/** One in-app notification as the console shows it, rendered for `profile` at `now`. */
function notificationJson(
  item: InAppNotification,
  profile: DeliveryProfile,
  now: Date,
): z.infer<typeof notificationView> {
  const { notice } = item;
  // publicUrl '': the link is the console's own path, which the console opens in place.
  const message = compose(notice, { profile, publicUrl: '', now: now.getTime() });
  return {
    id: item.id,
    kind: notice.kind,
    at: new Date(notice.at).toISOString(),
    readAt: item.readAt === null ? null : item.readAt.toISOString(),
    subject: message.subject,
    headline: message.headline,
    why: message.why,
    due: message.due,
    path: message.link.url,
    details: message.details,
    instanceId: notice.instance?.id ?? null,
    task: notice.task,
  };
}

/** A failed delivery as admins see it: what it was about, in its recipient's zone. */
function failedJson(item: Delivery, profile: DeliveryProfile, now: Date): z.infer<typeof failedDeliveryView> {
  const first = item.notices[0];
  const context = { profile, publicUrl: '', now: now.getTime() };
  const single = item.digest || first === undefined ? null : compose(first, context);
  const subject = single?.subject ?? composeDigest(item.notices, context).subject;
  return {
    id: item.id,
    channel: item.channel,
    recipient: item.recipient,
    kind: first?.kind ?? null,
    subject,
    attempts: item.attempts,
    lastError: item.lastError,
    failedAt: item.failedAt === null ? null : item.failedAt.toISOString(),
    note: item.note,
    instanceId: first?.instance?.id ?? null,
    path: single?.link.url ?? null,
  };
}

function inAppRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/notifications',
      summary: "The caller's notifications, newest first (`unread=true`: only the unread ones)",
      roles: ALL_ROLES,
      query: notificationsQuery,
      response: pageOfNotifications,
      handler: async ({ caller, deps, query }) => {
        const store = deps.store;
        const [page, settings] = await Promise.all([
          store.notifications.page(caller.person, {
            cursor: query.cursor ?? null,
            limit: query.limit,
            ...(query.unread === undefined ? {} : { unread: query.unread }),
          }),
          store.deliverySettings.of([caller.person]),
        ]);
        const profile = settings.get(caller.person)?.profile;
        if (profile === undefined) throw new Error(`no settings answered for ${caller.person}`);
        const now = deps.now();
        return json({
          items: page.items.map((item) => notificationJson(item, profile, now)),
          nextCursor: page.nextCursor,
        });
      },
    }),
    route({
      method: 'get',
      path: '/notifications/unread-count',
      summary: "How many of the caller's notifications are unread (the bell's badge)",
      roles: ALL_ROLES,
      response: z.object({ unread: z.number().int() }),
      handler: async ({ caller, deps }) =>
        json({ unread: await deps.store.notifications.unreadCount(caller.person) }),
    }),
    route({
      method: 'post',
      path: '/notifications/read',
      summary: "Marks the caller's notifications read: the given ids, or all",
      roles: ALL_ROLES,
      body: markReadBody,
      response: z.object({ marked: z.number().int().describe('how many were unread and are now read') }),
      handler: async ({ caller, deps, body }) => {
        // Only the caller's own: the store matches ids together with the recipient.
        const which = body.all === true ? 'all' : (body.ids ?? []);
        return json({ marked: await deps.store.notifications.markRead(caller.person, which, deps.now()) });
      },
    }),
  ];
}

/** Delivery fields and preferences by person id; the ownership declarations are in settingsRoutes. */
function personSettingsRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/directory/people/:id/delivery',
      summary: 'How a person is reached: address, chat target, zone, working hours (themself, admin, PMO)',
      roles: ALL_ROLES,
      params: personParams,
      response: deliveryProfileView,
      handler: async ({ caller, deps, params }) => {
        const profile = await readProfile(deps.store, params.id);
        requireSelfOr(caller, params.id, ['admin', 'pmo'], 'read', 'delivery fields');
        return json(profile);
      },
    }),
    route({
      method: 'put',
      path: '/directory/people/:id/delivery',
      summary: 'Replaces how a person is reached (themself or an admin)',
      roles: ALL_ROLES,
      params: personParams,
      body: deliveryProfile,
      response: deliveryProfileView,
      handler: async ({ caller, deps, params, body }) => {
        await settingsOf(deps.store, params.id);
        requireSelfOr(caller, params.id, ['admin'], 'change', 'delivery fields');
        return json(await writeProfile(deps.store, params.id, body));
      },
    }),
    route({
      method: 'get',
      path: '/directory/people/:id/notification-preferences',
      summary: 'What a person chose to be told, by which channel (themself or an admin)',
      roles: ALL_ROLES,
      params: personParams,
      response: preferencesView,
      handler: async ({ caller, deps, params }) => {
        const preferences = await readPreferences(deps.store, params.id);
        requireSelfOr(caller, params.id, ['admin'], 'read', 'notification preferences');
        return json(preferences);
      },
    }),
    route({
      method: 'put',
      path: '/directory/people/:id/notification-preferences',
      summary: "Replaces a person's notification preferences (themself or an admin)",
      roles: ALL_ROLES,
      params: personParams,
      body: notificationPreferences,
      response: preferencesView,
      handler: async ({ caller, deps, params, body }) => {
        await settingsOf(deps.store, params.id);
        requireSelfOr(caller, params.id, ['admin'], 'change', 'notification preferences');
        return json(await writePreferences(deps.store, params.id, body));
      },
    }),
  ];
}

/** The same, for the caller: what the console's settings page reads and saves. */
function mySettingsRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/me/delivery',
      summary: 'How the caller is reached',
      roles: ALL_ROLES,
      response: deliveryProfileView,
      handler: async ({ caller, deps }) => json(await readProfile(deps.store, caller.person)),
    }),
    route({
      method: 'put',
      path: '/me/delivery',
      summary: 'Replaces how the caller is reached',
      roles: ALL_ROLES,
      body: deliveryProfile,
      response: deliveryProfileView,
      handler: async ({ caller, deps, body }) => json(await writeProfile(deps.store, caller.person, body)),
    }),
    route({
      method: 'get',
      path: '/me/notification-preferences',
      summary: 'What the caller chose to be told, by which channel',
      roles: ALL_ROLES,
      response: preferencesView,
      handler: async ({ caller, deps }) => json(await readPreferences(deps.store, caller.person)),
    }),
    route({
      method: 'put',
      path: '/me/notification-preferences',
      summary: "Replaces the caller's notification preferences",
      roles: ALL_ROLES,
      body: notificationPreferences,
      response: preferencesView,
      handler: async ({ caller, deps, body }) =>
        json(await writePreferences(deps.store, caller.person, body)),
    }),
  ];
}

function importRoute(): RouteSpec {
  return route({
    method: 'post',
    path: '/directory/people/import',
    summary:
      'Creates or updates people and their delivery fields from a CSV file (text/csv, header row: id, name, manager, email, chat_format, chat_url, zone, working_days, working_from, working_to); every row is checked before anything is written',
    roles: ['admin'],
    body: z.string().max(MAX_CSV_BYTES).describe('the CSV file'),
    consumes: 'text/csv',
    response: z.object({ created: z.number().int(), updated: z.number().int() }),
    handler: async ({ deps, caller, body }) => {
      const csv = readPeopleCsv(body);
      const problems = [...csv.problems];
      if (csv.managersOutside.length > 0) {
        const unknown = await deps.store.directoryQueries.notActiveAmong(csv.managersOutside);
        problems.push(...unknownManagerProblems(csv, new Set(unknown)));
      }
      if (problems.length > 0) {
        const listed = listedProblems(problems);
        const more = problems.length > listed.length ? ` (the first ${listed.length} are listed)` : '';
        throw new ApiError(
          422,
          'invalid-csv',
          `the file has ${problems.length} problem${problems.length === 1 ? '' : 's'}${more}; nothing was imported`,
          listed,
          { problemCount: problems.length },
        );
      }
      // Who was there before, so that the admin chain says who was added and whose name or manager
      // changed (admin-record.ts); the delivery fields are settings, counted in `rows`.
      const ids = csv.people.map((p) => p.id);
      const before = await deps.store.directoryQueries.peopleAmong(ids);
      const counts = await deps.store.deliverySettings.importPeople(csv.people);
      const after = await deps.store.directoryQueries.peopleAmong(ids);
      await recordPeopleImport(deps.store, caller, deps.now(), csv.people, before, after);
      return json(counts);
    },
  });
}

function adminRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/admin/deliveries',
      summary: 'Deliveries that failed for good, newest failure first (admins retry them)',
      roles: ['admin'],
      query: deliveriesQuery,
      response: pageOfFailed,
      handler: async ({ deps, query }) => {
        const page = await deps.store.deliveries.pageFailed(query.cursor ?? null, query.limit);
        const settings = await deps.store.deliverySettings.of(page.items.map((item) => item.recipient));
        const now = deps.now();
        const items = page.items.map((item) => {
          const profile = settings.get(item.recipient)?.profile;
          if (profile === undefined) throw new Error(`no settings answered for ${item.recipient}`);
          return failedJson(item, profile, now);
        });
        return json({ items, nextCursor: page.nextCursor });
      },
    }),
    route({
      method: 'get',
      path: '/admin/deliveries/summary',
      summary: 'How many deliveries are in each status',
      roles: ['admin'],
      response: z.object(Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, z.number().int()]))),
      handler: async ({ deps }) => json(await deps.store.deliveries.countByStatus()),
    }),
    route({
      method: 'post',
      path: '/admin/deliveries/:id/retry',
      summary: 'Queues a failed delivery again, now (409 when it is not failed)',
      roles: ['admin'],
      params: z.object({ id: z.string().min(1).max(1000) }),
      status: 204,
      handler: async ({ deps, params }) => {
        const delivery = await deps.store.deliveries.get(params.id);
        if (delivery === null) throw notFound(`delivery ${params.id}`);
        if (!(await deps.store.deliveries.retryFailed(params.id, deps.now()))) {
          throw new ApiError(409, 'not-failed', `delivery ${params.id} is ${delivery.status}, not failed`);
        }
        return json(null, 204);
      },
    }),
  ];
}

export function notificationsRoutes(): RouteSpec[] {
  // Someone's delivery fields and preferences are theirs; the person is public, so a refusal tells nothing.
  const person = (seeAll: Role[]) => ({ param: 'id', object: 'person', seeAll, othersGet: 403 }) as const;
  return [
    ...inAppRoutes(),
    ...mySettingsRoutes(),
    importRoute(),
    ...withOwnership(personSettingsRoutes(), {
      'GET /directory/people/:id/delivery': person(['admin', 'pmo']),
      'PUT /directory/people/:id/delivery': person(['admin']),
      'GET /directory/people/:id/notification-preferences': person(['admin']),
      'PUT /directory/people/:id/notification-preferences': person(['admin']),
    }),
    ...adminRoutes(),
  ];
}
