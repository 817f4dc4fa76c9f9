// QualificationStore against a real MongoDB server: the registry with versions, completions
// recorded once under their deterministic id, expiry computed at record time and kept, standing
// on both sides of the expiry boundary (valid until and including the day before `expiresOn`,
// expired on it), renewals, never-expiring qualifications, the holders list paged by person, the
// count of valid holders, a person's completions, expiries for reminders, and the all-or-nothing
// import. `standingOf` is measured: one find that reads exactly the matching index keys and
// documents however many other completions the collection holds.
import type { Document } from 'mongodb';
import {
  CompletionConflictError,
  type NewCompletion,
  QualificationExistsError,
  QualificationNotFoundError,
  QualificationStore,
  QualificationVersionConflictError,
  qualificationCollections,
} from '../../store/qualifications.js';
import { addMonths } from '../../store/qualification-model.js';
import { InvalidCursorError } from '../../store/paging.js';
import { expectIndexedReads, recordCommands } from '../support/plans.js';
import { useStoreDatabase } from '../support/store-db.js';

const T0 = new Date('2027-03-01T10:00:00Z');
const T1 = new Date('2027-03-02T10:00:00Z');
const PMO = 'pmo@halden.example';
const ANN = 'ann@halden.example';
const BEN = 'ben@halden.example';
const CAT = 'cat@halden.example';

/** A completion recorded by an admin. */
const done = (person: string, q: string, on: string, evidence: string | null = null): NewCompletion => ({
  person,
  qualification: q,
  completedOn: on,
  source: 'admin',
  evidence,
});

const entry = (name: string, validityMonths: number | null, description: string | null = null) => ({
  name,
  description,
  validityMonths,
});

describe('QualificationStore', () => {
  const { client, db } = useStoreDatabase(import.meta.url, qualificationCollections);
  let store: QualificationStore;

  beforeAll(async () => {
    store = new QualificationStore(db());
    await store.create('itil-change', entry('ITIL change management', 12), PMO, T0);
    await store.create('gdpr-basics', entry('GDPR basics', null, 'Privacy'), PMO, T0);
    await store.create('fire-warden', entry('Fire warden', 1), PMO, T0);
  });

  describe('the registry', () => {
    test('when an entry is created, then it reads back at version 1; a taken id is refused', async () => {
      const made = await store.create('prince2', entry('PRINCE2', 36, 'Practitioner'), PMO, T0);

      expect(made).toEqual({
        id: 'prince2',
        name: 'PRINCE2',
        description: 'Practitioner',
        validityMonths: 36,
        version: 1,
        createdAt: T0,
        createdBy: PMO,
        updatedAt: T0,
        updatedBy: PMO,
      });
      expect(await store.get('prince2')).toEqual(made);
      await expect(store.create('prince2', entry('Again', 1), PMO, T1)).rejects.toBeInstanceOf(
        QualificationExistsError,
      );
      await expect(store.create('bad', entry('', 0), PMO, T1)).rejects.toThrow(/name/);
      expect(await store.get('bad')).toBeNull();
    });

    test('when an entry is patched, then its version goes up by one; a stale version or no entry is refused', async () => {
      await store.create('cobit', entry('COBIT', 24), PMO, T0);

      const patched = await store.update('cobit', { validityMonths: 12, name: 'COBIT' }, 1, ANN, T1);
      expect(patched).toMatchObject({
        version: 2,
        validityMonths: 12,
        name: 'COBIT',
        updatedBy: ANN,
        updatedAt: T1,
      });
      // Nothing changes: no new version.
      expect(await store.update('cobit', { validityMonths: 12 }, 2, BEN, T1)).toEqual(patched);
      const stale = store.update('cobit', { name: 'COBIT 2019' }, 1, BEN, T1);
      await expect(stale).rejects.toBeInstanceOf(QualificationVersionConflictError);
      await expect(stale).rejects.toMatchObject({ expected: 1, actual: 2 });
      expect(await store.update('cobit', { name: 'COBIT 2019' }, null, BEN, T1)).toMatchObject({
        version: 3,
      });
      await expect(store.update('nope', { name: 'x' }, null, BEN, T1)).rejects.toBeInstanceOf(
        QualificationNotFoundError,
      );
    });

    test('when the registry is paged, then entries come by id through the _id index', async () => {
      const first = await expectIndexedReads(client(), db(), () => store.page(null, 3));
      const second = await store.page(first.result.nextCursor, 3);

      expect(first.result.items.map((q) => q.id)).toEqual(['cobit', 'fire-warden', 'gdpr-basics']);
      expect(second.items.map((q) => q.id)).toEqual(['itil-change', 'prince2']);
      expect(second.nextCursor).toBeNull();
      expect([...(await store.getMany(['prince2', 'nope', 'cobit'])).keys()].sort()).toEqual([
        'cobit',
        'prince2',
      ]);
    });
  });

  describe('the expiry boundary', () => {
    test('when months are added, then a day the month lacks becomes its last day', () => {
      expect(addMonths('2027-03-15', 12)).toBe('2028-03-15');
      expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
      expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
      expect(addMonths('2027-11-30', 3)).toBe('2028-02-29');
    });

    test('when a completion is recorded, then it is valid until and including the day before expiresOn, and expired on it', async () => {
      const { completion, created } = await store.record(
        done(ANN, 'itil-change', '2027-03-15', 'cert 1'),
        PMO,
        T0,
      );
      expect(created).toBe(true);
      expect(completion).toEqual({
        id: `itil-change:2027-03-15:${ANN}`,
        person: ANN,
        qualification: 'itil-change',
        completedOn: '2027-03-15',
        expiresOn: '2028-03-15',
        source: 'admin',
        evidence: 'cert 1',
        recordedBy: PMO,
        recordedAt: T0,
      });

      const on = async (day: string) => (await store.standingOf('itil-change', [ANN], day)).get(ANN);
      expect(await on('2027-03-14')).toEqual({ status: 'never' });
      expect(await on('2027-03-15')).toEqual({
        status: 'valid',
        until: '2028-03-14',
        completedOn: '2027-03-15',
      });
      expect(await on('2028-03-14')).toEqual({
        status: 'valid',
        until: '2028-03-14',
        completedOn: '2027-03-15',
      });
      expect(await on('2028-03-15')).toEqual({
        status: 'expired',
        on: '2028-03-15',
        completedOn: '2027-03-15',
      });
      expect(await on('2031-01-01')).toEqual({
        status: 'expired',
        on: '2028-03-15',
        completedOn: '2027-03-15',
      });
    });

    test('when a qualification never expires, then its completion is valid for good from its day on', async () => {
      const { completion } = await store.record(done(BEN, 'gdpr-basics', '2027-02-01'), PMO, T0);
      expect(completion.expiresOn).toBeNull();

      const standing = await store.standingOf('gdpr-basics', [BEN, CAT], '2099-12-31');
      expect(standing.get(BEN)).toEqual({ status: 'valid', until: null, completedOn: '2027-02-01' });
      expect(standing.get(CAT)).toEqual({ status: 'never' });
      expect((await store.standingOf('gdpr-basics', [BEN], '2027-01-31')).get(BEN)).toEqual({
        status: 'never',
      });
    });
  });

  describe('renewals and retries', () => {
    test('when a person renews, then the latest completion decides, also against an older one recorded later', async () => {
      await store.record(done(CAT, 'fire-warden', '2027-05-10'), PMO, T0);
      await store.record(done(CAT, 'fire-warden', '2027-06-01'), PMO, T0);
      // Backdated: recorded last, completed first; it changes nothing.
      await store.record(done(CAT, 'fire-warden', '2027-04-20'), PMO, T1);

      const on = async (day: string) => (await store.standingOf('fire-warden', [CAT], day)).get(CAT);
      expect(await on('2027-06-09')).toEqual({
        status: 'valid',
        until: '2027-06-30',
        completedOn: '2027-06-01',
      });
      expect(await on('2027-07-01')).toEqual({
        status: 'expired',
        on: '2027-07-01',
        completedOn: '2027-06-01',
      });
      // Before the renewal, the completion of that time decided.
      expect(await on('2027-05-20')).toEqual({
        status: 'valid',
        until: '2027-06-09',
        completedOn: '2027-05-10',
      });
    });

    test('when the validity shrinks, then a later completion expires sooner and still decides', async () => {
      await store.create('sec-aware', entry('Security awareness', 36), PMO, T0);
      await store.record(done(ANN, 'sec-aware', '2027-01-10'), PMO, T0);
      await store.update('sec-aware', { validityMonths: 1 }, null, PMO, T1);
      const { completion } = await store.record(done(ANN, 'sec-aware', '2027-03-01'), PMO, T1);

      expect(completion.expiresOn).toBe('2027-04-01');
      expect((await store.standingOf('sec-aware', [ANN], '2027-05-01')).get(ANN)).toEqual({
        status: 'expired',
        on: '2027-04-01',
        completedOn: '2027-03-01',
      });
    });

    test('when a record is retried, then it writes once and keeps its first expiry; other evidence is refused', async () => {
      await store.create('retry-q', entry('Retry', 6), PMO, T0);
      const first = await store.record(
        done(BEN, 'retry-q', '2027-02-01', 'https://lms.example/c/9'),
        PMO,
        T0,
      );
      await store.update('retry-q', { validityMonths: 24 }, null, PMO, T1);

      const again = await store.record(
        done(BEN, 'retry-q', '2027-02-01', 'https://lms.example/c/9'),
        ANN,
        T1,
      );
      expect(again).toEqual({ completion: first.completion, created: false });
      expect(again.completion.expiresOn).toBe('2027-08-01');
      const conflict = store.record(done(BEN, 'retry-q', '2027-02-01', 'another certificate'), PMO, T1);
      await expect(conflict).rejects.toBeInstanceOf(CompletionConflictError);
      expect(
        await db().collection('qualification_completions').countDocuments({ qualification: 'retry-q' }),
      ).toBe(1);
      await expect(store.record(done(BEN, 'no-such', '2027-02-01'), PMO, T1)).rejects.toBeInstanceOf(
        QualificationNotFoundError,
      );
    });

    test('when the same completion is recorded twice at once, then one document is written', async () => {
      const both = await Promise.all([
        store.record(done(ANN, 'gdpr-basics', '2027-04-04', 'x'), PMO, T0),
        store.record(done(ANN, 'gdpr-basics', '2027-04-04', 'x'), PMO, T0),
      ]);

      expect(both.map((r) => r.created).sort()).toEqual([false, true]);
      expect(
        await db()
          .collection('qualification_completions')
          .countDocuments({ person: ANN, qualification: 'gdpr-basics' }),
      ).toBe(1);
    });
  });

  describe('reads at scale', () => {
    // A database of its own: 40 people with renewals among 600 completions of other qualifications.
    const big = useStoreDatabase(`${import.meta.url}-reads`, qualificationCollections);
    let reads: QualificationStore;
    const person = (i: number) => `p${String(i).padStart(3, '0')}@halden.example`;

    beforeAll(async () => {
      reads = new QualificationStore(big.db());
      await reads.create('itil-change', entry('ITIL', 12), PMO, T0);
      await reads.create('other', entry('Other', 12), PMO, T0);
      const rows: NewCompletion[] = [];
      for (let i = 0; i < 40; i++) {
        // Even people completed in 2026 (expired by 2027-06-01), odd ones in 2027; every fifth renewed.
        rows.push(done(person(i), 'itil-change', i % 2 === 0 ? '2026-03-01' : '2027-03-01'));
        if (i % 5 === 0) rows.push(done(person(i), 'itil-change', '2027-05-01'));
      }
      for (let i = 0; i < 600; i++) rows.push(done(person(100 + i), 'other', '2027-01-01'));
      const outcomes = await reads.importCompletions(rows, PMO, T0);
      expect(outcomes.every((o) => o.outcome === 'new')).toBe(true);
    });

    test('when standing is asked for a list, then one find reads exactly the matching keys and documents', async () => {
      const asked = [person(1), person(2), person(5), person(10), 'nobody@halden.example'];

      const { result, commands } = await recordCommands(big.client(), () =>
        reads.standingOf('itil-change', asked, '2027-06-01'),
      );

      expect(Object.fromEntries(result)).toEqual({
        [person(1)]: { status: 'valid', until: '2028-02-29', completedOn: '2027-03-01' },
        [person(2)]: { status: 'expired', on: '2027-03-01', completedOn: '2026-03-01' },
        [person(5)]: { status: 'valid', until: '2028-04-30', completedOn: '2027-05-01' },
        [person(10)]: { status: 'valid', until: '2028-04-30', completedOn: '2027-05-01' },
        'nobody@halden.example': { status: 'never' },
      });
      const finds = commands.filter((c) => c.name === 'find');
      expect(finds).toHaveLength(1);
      const find: Document = finds[0]?.command ?? {};
      expect(find['hint']).toBeUndefined();
      const {
        find: collection,
        filter,
        projection,
      } = find as { find: string; filter: Document; projection: Document };
      const explained = await big.db().command({
        explain: { find: collection, filter, projection },
        verbosity: 'executionStats',
      });
      const stats = explained['executionStats'] as Document;
      // person(5) and person(10) renewed: 6 completions of the 4 people, out of 648.
      expect(
        [stats['nReturned'], stats['totalKeysExamined'], stats['totalDocsExamined']].map(Number),
      ).toEqual([6, 6, 6]);
      expect(JSON.stringify(explained['queryPlanner'])).toContain('qualification_completions_by_holder');
    });

    test('when holders are paged, then each person comes once by id with their latest standing', async () => {
      const pages: string[][] = [];
      const standings = new Map<string, string>();
      let cursor: string | null = null;
      do {
        const after: string | null = cursor;
        const page: Awaited<ReturnType<QualificationStore['holders']>> = (
          await expectIndexedReads(big.client(), big.db(), () =>
            reads.holders('itil-change', '2027-06-01', after, 7),
          )
        ).result;
        pages.push(page.items.map((h) => h.person));
        for (const h of page.items) standings.set(h.person, `${h.standing.status} ${h.latest.completedOn}`);
        cursor = page.nextCursor;
      } while (cursor !== null);

      expect(pages.flat()).toEqual(Array.from({ length: 40 }, (_, i) => person(i)));
      expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 7, 7, 5]);
      expect(standings.get(person(0))).toBe('valid 2027-05-01');
      expect(standings.get(person(2))).toBe('expired 2026-03-01');
      expect(standings.get(person(3))).toBe('valid 2027-03-01');
      // On a day before anyone's 2027 completion, only the 2026 people held it.
      const early = await reads.holders('itil-change', '2026-12-31', null, 100);
      expect(early.items.map((h) => h.person)).toEqual(Array.from({ length: 20 }, (_, i) => person(2 * i)));
      // One a page: batches of four end among people who only completed later, looked up alone.
      const one: string[] = [];
      let next: string | null = null;
      do {
        const after: string | null = next;
        const page: Awaited<ReturnType<QualificationStore['holders']>> = (
          await expectIndexedReads(big.client(), big.db(), () =>
            reads.holders('itil-change', '2026-12-31', after, 1),
          )
        ).result;
        one.push(...page.items.map((h) => h.person));
        next = page.nextCursor;
      } while (next !== null);
      expect(one).toEqual(early.items.map((h) => h.person));
      await expect(
        reads.holders('itil-change', '2027-06-01', 'WyJxdWFsaWZpY2F0aW9ucyIsIngiXQ', 5),
      ).rejects.toBeInstanceOf(InvalidCursorError);
    });

    test('when valid holders are counted, then each person counts once, by their latest completion', async () => {
      const { result: counts, plans } = await expectIndexedReads(big.client(), big.db(), () =>
        reads.validHolderCounts(['itil-change', 'other', 'none'], '2027-06-01'),
      );
      expect(plans).toEqual([expect.stringMatching(/IXSCAN\(qualification_completions_by_holder\)/)]);

      // 20 odd people (2027) plus the 4 even renewed ones (0, 10, 20, 30).
      expect(Object.fromEntries(counts)).toEqual({ 'itil-change': 24, other: 600, none: 0 });
      expect((await reads.validHolderCounts(['itil-change'], '2028-03-01')).get('itil-change')).toBe(8);
    });

    test("when a person's completions are read, then they come newest first", async () => {
      const list = await expectIndexedReads(big.client(), big.db(), () => reads.completionsOf(person(5)));

      expect(list.result.map((c) => c.completedOn)).toEqual(['2027-05-01', '2027-03-01']);
      expect(list.plans).toEqual([expect.stringMatching(/IXSCAN\(qualification_completions_by_person\)/)]);
    });

    test('when expiries between two days are listed, then both days count and renewed completions are left out', async () => {
      const items: string[] = [];
      let cursor: string | null = null;
      do {
        const after: string | null = cursor;
        // Every find indexed: the page on (expiresOn, _id), the renewal check on the holder index.
        const page: Awaited<ReturnType<QualificationStore['expiringBetween']>> = (
          await expectIndexedReads(big.client(), big.db(), () =>
            reads.expiringBetween('2028-03-01', '2028-05-01', after, 9),
          )
        ).result;
        items.push(...page.items.map((c) => `${c.person} ${c.expiresOn}`));
        cursor = page.nextCursor;
      } while (cursor !== null);

      // Odd people expire 2028-03-01 (5, 15, 25, 35 renewed: 2028-05-01 instead); the even renewed ones 2028-05-01.
      const odd = Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 2 === 1 && i % 5 !== 0);
      const renewed = [0, 5, 10, 15, 20, 25, 30, 35];
      expect(items).toEqual([
        ...odd.map((i) => `${person(i)} 2028-03-01`),
        ...renewed.map((i) => `${person(i)} 2028-05-01`),
      ]);
      expect((await reads.expiringBetween('2028-03-02', '2028-04-30', null, 50)).items).toEqual([]);
    });
  });

  describe('the import', () => {
    const imports = useStoreDatabase(`${import.meta.url}-import`, qualificationCollections);
    let store2: QualificationStore;

    beforeAll(async () => {
      store2 = new QualificationStore(imports.db());
      await store2.create('itil-change', entry('ITIL', 12), PMO, T0);
      await store2.record(done(ANN, 'itil-change', '2027-01-01', 'cert A'), PMO, T0);
    });

    const count = () => imports.db().collection('qualification_completions').countDocuments();

    test('when a row conflicts with a record, then nothing of the file is written', async () => {
      const outcomes = await store2.importCompletions(
        [done(BEN, 'itil-change', '2027-02-01'), done(ANN, 'itil-change', '2027-01-01', 'cert B')],
        PMO,
        T1,
      );

      expect(outcomes.map((o) => o.outcome)).toEqual(['new', 'conflict']);
      expect(await count()).toBe(1);
    });

    test('when an import is planned, then nothing is written; when it is run twice, then it writes once', async () => {
      const rows = [
        { ...done(BEN, 'itil-change', '2027-02-01'), source: 'import' as const },
        { ...done(ANN, 'itil-change', '2027-01-01', 'cert A'), source: 'import' as const },
      ];
      const plan = await store2.planImport(rows, PMO, T1);
      expect(plan.map((o) => [o.outcome, o.outcome === 'conflict' ? null : o.completion.expiresOn])).toEqual([
        ['new', '2028-02-01'],
        ['recorded-already', '2028-01-01'],
      ]);
      expect(await count()).toBe(1);

      const first = await store2.importCompletions(rows, PMO, T1);
      const second = await store2.importCompletions(rows, PMO, T1);
      expect(first.map((o) => o.outcome)).toEqual(['new', 'recorded-already']);
      expect(second.map((o) => o.outcome)).toEqual(['recorded-already', 'recorded-already']);
      expect(await count()).toBe(2);
      await expect(store2.planImport([done(BEN, 'nope', '2027-01-01')], PMO, T1)).rejects.toBeInstanceOf(
        QualificationNotFoundError,
      );
    });
  });
});
