// What the notifier reads and keeps besides its queue, against a real MongoDB-wire server: the
// in-app list (idempotent, newest first, paged, unread, marked read only by its owner), the hourly
// quota under concurrent takes, and the delivery settings on the directory's people (defaults,
// partial preferences, the CSV import with its search keys, who holds an absent person's tasks).
import type { Document } from 'mongodb';
import { defaultPreferences, defaultProfile, type Notice } from '../../engine/notices/types.js';
import { deliveryQuotaCollections, DeliveryQuota } from '../../store/delivery-quota.js';
import { Directory, directoryCollections, DirectoryError, PEOPLE } from '../../store/directory.js';
import { DeliverySettings } from '../../store/directory-delivery.js';
import { DirectoryQueries } from '../../store/directory-queries.js';
import {
  type InAppNotification,
  InAppNotifications,
  notificationCollections,
} from '../../store/notifications.js';
import { InvalidCursorError } from '../../store/paging.js';
import { expectIndexedReads, recordCommands, type Recorded } from '../support/plans.js';
import { useStoreDatabase } from '../support/store-db.js';

const t0 = new Date('2026-12-07T08:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);
const MINUTE = 60_000;
const DAY = 24 * 3600_000;

const notice = (id: string, recipient: string): Notice => ({
  id,
  kind: 'mention',
  recipient,
  onBehalfOf: null,
  at: t0.getTime(),
  instance: {
    id: 'cr-1',
    process: 'change-request',
    policy: 'change',
    project: null,
    requester: 'rita@example.com',
  },
  task: 'cr-1/cab',
  step: 'cab',
  due: null,
  cause: {
    kind: 'mention',
    by: 'rita@example.com',
    excerpt: 'can you look at the rollback plan?',
    comment: 'cr-1/cab:1',
  },
});

describe('notification stores', () => {
  const { client, db } = useStoreDatabase(import.meta.url, [
    ...notificationCollections,
    ...deliveryQuotaCollections,
    ...directoryCollections,
  ]);

  /** The explain of a recorded command (aggregate included, which expectIndexedReads does not explain). */
  async function explained(recorded: Recorded): Promise<string> {
    const command: Document = {};
    for (const [key, value] of Object.entries(recorded.command) as [string, unknown][]) {
      if (!['lsid', '$clusterTime', '$db', 'txnNumber'].includes(key)) command[key] = value;
    }
    return JSON.stringify(await db().command({ explain: command, verbosity: 'queryPlanner' }));
  }

  describe('InAppNotifications', () => {
    let list: InAppNotifications;
    const carol = 'carol@example.com';
    const dave = 'dave@example.com';

    /** Every page of a list, as ids. */
    async function allPages(recipient: string, limit: number, unread?: boolean): Promise<string[][]> {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const page: { items: InAppNotification[]; nextCursor: string | null } = await list.page(recipient, {
          cursor,
          limit,
          ...(unread === undefined ? {} : { unread }),
        });
        pages.push(page.items.map((n) => n.id));
        cursor = page.nextCursor;
      } while (cursor !== null);
      return pages;
    }

    beforeAll(() => {
      list = new InAppNotifications(db());
    });

    beforeEach(async () => {
      await db().collection('notifications').deleteMany({});
      // Carol's n1..n5 a minute apart (n3 and n4 at the same time), and one of Dave's.
      const times = [0, 1, 2, 2, 3];
      for (const [i, minute] of times.entries())
        await list.add(notice(`n${i + 1}`, carol), later(minute * MINUTE));
      await list.add(notice('d1', dave), later(10 * MINUTE));
    });

    test('when a notice is added again, then it is listed once, as first added', async () => {
      await list.add(notice('n1', carol), later(DAY));

      const page = await list.page(carol, { cursor: null, limit: 10 });

      expect(page.items.filter((n) => n.id === 'n1')).toEqual([
        { id: 'n1', recipient: carol, notice: notice('n1', carol), at: t0, readAt: null },
      ]);
      expect(await list.unreadCount(carol)).toBe(5);
    });

    test('when a person pages their list, then newest first, ties by id, only their own, each once', async () => {
      expect(await allPages(carol, 2)).toEqual([['n5', 'n4'], ['n3', 'n2'], ['n1']]);
      expect(await allPages(dave, 2)).toEqual([['d1']]);
      expect(await allPages('nobody@example.com', 2)).toEqual([[]]);
    });

    test('when notifications are marked read, then only the owner marks theirs, once, and unread lists shrink', async () => {
      expect(await list.markRead(carol, ['n2', 'n4', 'd1', 'unknown', 'n2'], later(DAY))).toBe(2);
      expect(await list.markRead(carol, ['n2'], later(2 * DAY))).toBe(0);

      expect(await list.unreadCount(carol)).toBe(3);
      expect(await list.unreadCount(dave)).toBe(1);
      expect(await allPages(carol, 2, true)).toEqual([['n5', 'n3'], ['n1']]);
      const read = (await list.page(carol, { cursor: null, limit: 10 })).items.find((n) => n.id === 'n2');
      expect(read?.readAt).toEqual(later(DAY));

      expect(await list.markRead(carol, 'all', later(3 * DAY))).toBe(3);
      expect(await list.unreadCount(carol)).toBe(0);
      expect(await list.unreadCount(dave)).toBe(1);
      expect(await allPages(carol, 2, true)).toEqual([[]]);
      expect(await list.markRead(dave, [], later(3 * DAY))).toBe(0);
    });

    test('when a cursor of the whole list is used on the unread list, then InvalidCursorError', async () => {
      const { nextCursor } = await list.page(carol, { cursor: null, limit: 2 });

      await expect(list.page(carol, { cursor: nextCursor, limit: 2, unread: true })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    });

    test('when the list, the unread list and the count are read, then each goes through its index', async () => {
      const { plans } = await expectIndexedReads(client(), db(), async () => {
        await list.page(carol, { cursor: null, limit: 2 });
        await list.page(carol, { cursor: null, limit: 2, unread: true });
      });
      const count = await recordCommands(client(), () => list.unreadCount(carol));

      expect(plans).toEqual([
        expect.stringMatching(/IXSCAN\(notifications_list\)/),
        expect.stringMatching(/IXSCAN\(notifications_unread\)/),
      ]);
      expect(count.commands).toHaveLength(1);
      const plan = await explained(count.commands[0]!);
      expect(plan).toContain('"indexName":"notifications_unread"');
      expect(plan).not.toContain('COLLSCAN');
    });
  });

  describe('DeliveryQuota', () => {
    let quota: DeliveryQuota;
    const hour = new Date('2026-12-07T08:00:00Z');

    beforeAll(() => {
      quota = new DeliveryQuota(db());
    });

    test('when 30 takes race for a limit of 10, then exactly 10 are granted', async () => {
      const granted = await Promise.all(
        Array.from({ length: 30 }, () => quota.take('carol/email', hour, 10)),
      );

      expect(granted.filter(Boolean)).toHaveLength(10);
      expect(await quota.take('carol/email', hour, 10)).toBe(false);
      expect(await quota.take('carol/email', hour, 11)).toBe(true);
    });

    test('when the hour or the key differs, then it has a budget of its own', async () => {
      for (let i = 0; i < 3; i++) expect(await quota.take('dave/chat', hour, 3)).toBe(true);

      expect(await quota.take('dave/chat', hour, 3)).toBe(false);
      expect(await quota.take('dave/chat', new Date(hour.getTime() + 3600_000), 3)).toBe(true);
      expect(await quota.take('dave/email', hour, 3)).toBe(true);
      expect(await quota.take('erin/chat', hour, 0)).toBe(false);
    });

    test('when a counter is written, then it expires two days after its hour', async () => {
      await quota.take('frank/email', hour, 5);

      const doc = await db().collection('delivery_quota').findOne({ key: 'frank/email' });
      expect(doc).toMatchObject({ count: 1, hourStart: hour, expiresAt: new Date(hour.getTime() + 2 * DAY) });
      const indexes = await db().collection('delivery_quota').indexes();
      expect(indexes).toContainEqual(
        expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 }),
      );
    });
  });

  describe('DeliverySettings', () => {
    let settings: DeliverySettings;
    let directory: Directory;

    beforeAll(() => {
      settings = new DeliverySettings(db());
      directory = new Directory(db());
    });

    beforeEach(async () => {
      for (const name of [PEOPLE, 'directory_delegations', 'directory_absences']) {
        await db().collection(name).deleteMany({});
      }
      await directory.upsertPerson({ id: 'carol@example.com', name: 'Carol Weber' });
      await directory.upsertPerson({ id: 'gone@example.com', active: false });
    });

    test('when nobody configured anything, then known and unknown people read as the defaults', async () => {
      const read = await settings.of([
        'carol@example.com',
        'svc-build',
        'gone@example.com',
        'carol@example.com',
      ]);

      expect([...read.keys()]).toEqual(['carol@example.com', 'svc-build', 'gone@example.com']);
      expect(read.get('carol@example.com')).toEqual({
        profile: defaultProfile('carol@example.com'),
        preferences: defaultPreferences(),
        known: true,
      });
      expect(read.get('svc-build')).toEqual({
        profile: { ...defaultProfile('svc-build'), email: null },
        preferences: defaultPreferences(),
        known: false,
      });
      expect(read.get('gone@example.com')?.known).toBe(false);
      expect((await settings.of([])).size).toBe(0);
    });

    test('when stored preferences are partial, then each missing kind and field is filled from the defaults', async () => {
      await db()
        .collection<{ _id: string }>(PEOPLE)
        .updateOne(
          { _id: 'carol@example.com' },
          { $set: { preferences: { channels: { reminder: [], retired: ['email'] }, digest: true } } },
        );

      const preferences = (await settings.of(['carol@example.com'])).get('carol@example.com')?.preferences;

      expect(preferences).toEqual({
        channels: { ...defaultPreferences().channels, reminder: [] },
        digest: true,
        quietHours: null,
      });
    });

    test('when profile fields are set one at a time, then each keeps the others and the rest stay default', async () => {
      await settings.setProfile('carol@example.com', { zone: 'Europe/Berlin' });
      await settings.setProfile('carol@example.com', {
        chat: { format: 'teams', url: 'https://example.webhook.office.com/x' },
      });

      expect((await settings.of(['carol@example.com'])).get('carol@example.com')?.profile).toEqual({
        ...defaultProfile('carol@example.com'),
        zone: 'Europe/Berlin',
        chat: { format: 'teams', url: 'https://example.webhook.office.com/x' },
      });
    });

    test('when settings are set for someone the directory does not know, then DirectoryError, and nothing is created', async () => {
      await expect(settings.setProfile('nobody@example.com', { zone: 'UTC' })).rejects.toThrow(
        new DirectoryError('unknown person nobody@example.com'),
      );
      await expect(settings.setProfile('gone@example.com', {})).rejects.toBeInstanceOf(DirectoryError);
      await expect(
        settings.setPreferences('nobody@example.com', defaultPreferences()),
      ).rejects.toBeInstanceOf(DirectoryError);
      await expect(settings.setProfile('carol@example.com', { zone: '' })).rejects.toBeInstanceOf(
        DirectoryError,
      );

      expect(await directory.person('nobody@example.com')).toBeNull();
    });

    test('when preferences are saved, then they read back whole', async () => {
      const chosen = {
        ...defaultPreferences(),
        channels: { ...defaultPreferences().channels, decision: ['chat' as const], ended: [] },
        quietHours: { from: '12:00', to: '13:00' },
      };

      await settings.setPreferences('carol@example.com', chosen);

      expect((await settings.of(['carol@example.com'])).get('carol@example.com')?.preferences).toEqual(
        chosen,
      );
    });

    test('when people are imported, then new ones are created active, known ones updated, and search finds the new names', async () => {
      await directory.upsertPerson({
        id: 'dave@example.com',
        name: 'Dave Old',
        manager: 'carol@example.com',
      });

      const counts = await settings.importPeople([
        { id: 'dave@example.com', name: 'Dave Nouveau', profile: { zone: 'Europe/Paris' } },
        { id: 'erin@example.com', name: 'Erin Jürgens', manager: 'carol@example.com', profile: {} },
        { id: 'frank@example.com', profile: { email: 'frank.private@example.org' } },
        { id: 'gone@example.com', profile: { zone: 'Asia/Tokyo' } },
      ]);

      expect(counts).toEqual({ created: 2, updated: 2 });
      expect(await directory.person('dave@example.com')).toEqual({
        _id: 'dave@example.com',
        name: 'Dave Nouveau',
        manager: 'carol@example.com',
        active: true,
      });
      expect(await directory.person('erin@example.com')).toEqual({
        _id: 'erin@example.com',
        name: 'Erin Jürgens',
        manager: 'carol@example.com',
        active: true,
      });
      expect(await directory.person('frank@example.com')).toMatchObject({
        name: null,
        manager: null,
        active: true,
      });
      expect(await directory.person('gone@example.com')).toMatchObject({ active: false });
      const read = await settings.of(['dave@example.com', 'frank@example.com']);
      expect(read.get('dave@example.com')?.profile.zone).toBe('Europe/Paris');
      expect(read.get('frank@example.com')?.profile.email).toBe('frank.private@example.org');

      const queries = new DirectoryQueries(db());
      expect((await queries.searchPeople('nouveau')).map((p) => p._id)).toEqual(['dave@example.com']);
      expect(await queries.searchPeople('dave old')).toEqual([]);
      expect((await queries.searchPeople('jurgens')).map((p) => p._id)).toEqual(['erin@example.com']);
      expect((await queries.searchPeople('frank@')).map((p) => p._id)).toEqual(['frank@example.com']);
      expect(await settings.importPeople([])).toEqual({ created: 0, updated: 0 });
      await expect(
        settings.importPeople([{ id: 'erin@example.com', manager: 'erin@example.com', profile: {} }]),
      ).rejects.toBeInstanceOf(DirectoryError);
    });

    test('when delegations are asked for, then only those in effect from the given people come back, stand-ins included', async () => {
      const start = t0;
      await directory.addDelegation({
        id: 'd1',
        from: 'carol@example.com',
        to: 'dave@example.com',
        start,
        end: later(DAY),
      });
      await directory.addDelegation({
        id: 'd2',
        from: 'carol@example.com',
        to: 'dave@example.com',
        start,
        end: later(2 * DAY),
      });
      await directory.addDelegation({
        id: 'd3',
        from: 'erin@example.com',
        to: 'carol@example.com',
        start,
        end: later(DAY),
      });
      await directory.addDelegation({
        id: 'd4',
        from: 'frank@example.com',
        to: 'erin@example.com',
        start: later(DAY),
        end: later(2 * DAY),
      });
      await directory.setOutOfOffice('carol@example.com', {
        from: t0,
        to: later(DAY),
        delegate: 'greta@example.com',
      });

      const { result, plans } = await expectIndexedReads(client(), db(), () =>
        settings.delegatesOf(['carol@example.com', 'frank@example.com'], later(MINUTE)),
      );

      expect(result).toEqual([
        { from: 'carol@example.com', to: 'dave@example.com' },
        { from: 'carol@example.com', to: 'greta@example.com' },
      ]);
      expect(plans).toEqual([expect.stringMatching(/IXSCAN\(by_party\)/)]);
      expect(await settings.delegatesOf(['frank@example.com'], later(DAY))).toEqual([
        { from: 'frank@example.com', to: 'erin@example.com' },
      ]);
      expect(await settings.delegatesOf(['carol@example.com'], later(3 * DAY))).toEqual([]);
      expect(await settings.delegatesOf([], t0)).toEqual([]);
    });
  });
});
