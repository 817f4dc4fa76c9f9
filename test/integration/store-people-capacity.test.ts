// People as capacity holders against a real MongoDB-wire server: a person's weeks and a project's
// people are each read by indexed queries (explained here), allocations answer week by week in
// the person's words, a preview writes nothing, and a hand-edited document stops at the store.
import type { Db, Document } from 'mongodb';
import { CapacityStore, capacityCollections } from '../../store/capacity.js';
import { StoredDocumentError } from '../../store/documents.js';
import { PeopleCapacity } from '../../store/people-capacity.js';
import { expectIndexedReads, recordCommands, stagesOf, type Recorded } from '../support/plans.js';
import { useStoreDatabase } from '../support/store-db.js';

const ANA = 'ana@example.org';
const BO = 'bo@example.org';
const CY = 'cy@example.org';
const at = new Date('2027-03-01T09:00:00Z');
const allocation = (person: string, project: string, hours: number, weeks: string[], request: string) => ({
  request,
  person,
  project,
  hours,
  weeks,
  priority: 'normal' as const,
  at,
});

/**
 * The winning plan of a recorded aggregate: `queryPlanner` at the top (SecantusDB, and MongoDB
 * when the whole pipeline runs in the query layer) or in the first stage's `$cursor` (MongoDB).
 */
async function aggregatePlan(db: Db, recorded: Recorded): Promise<string[]> {
  const { command } = recorded;
  const explained = await db.command({
    explain: {
      aggregate: command['aggregate'] as unknown,
      pipeline: command['pipeline'] as unknown,
      cursor: {},
      hint: command['hint'] as unknown,
    },
    verbosity: 'queryPlanner',
  });
  const first = (explained['stages'] as Document[] | undefined)?.[0]?.['$cursor'] as Document | undefined;
  const planner = (explained['queryPlanner'] ?? first?.['queryPlanner']) as Document | undefined;
  return stagesOf((planner?.['winningPlan'] as Document | undefined) ?? {});
}

describe('PeopleCapacity', () => {
  const { client, db } = useStoreDatabase(import.meta.url, capacityCollections);
  let people: PeopleCapacity;

  beforeAll(async () => {
    people = new PeopleCapacity(new CapacityStore(db()));
    const weeks = ['2027-W10', '2027-W11', '2027-W12'];
    await people.setHours(ANA, weeks, 40);
    await people.setHours(BO, weeks, 20);
    await people.setHours(CY, weeks, 30);
    await people.allocate(allocation(ANA, 'ERP', 30, ['2027-W10', '2027-W11'], 'a1'));
    await people.allocate(allocation(ANA, 'CRM', 20, ['2027-W10', '2027-W11'], 'a2'));
    await people.allocate(allocation(ANA, 'ERP', 10, ['2027-W12'], 'a3'));
    await people.allocate(allocation(BO, 'ERP', 10, ['2027-W10', '2027-W11'], 'b1'));
    await people.allocate(allocation(CY, 'ERP', 6, ['2027-W12'], 'c1'));
  });

  test('when a person allocation fits, then each week says its share, free hours and utilisation', async () => {
    const made = await people.allocate(allocation(BO, 'OPS', 4, ['2027-W12'], 'b2'));

    expect(made).toEqual({
      outcome: 'allocated',
      detail: `${BO}: 20 → 16 free hours in 2027-W12`,
      weeks: [
        {
          week: '2027-W12',
          hours: 4,
          capacity: 20,
          freeBefore: 20,
          freeAfter: 16,
          short: 0,
          utilisationBefore: 0,
          utilisationAfter: 20,
        },
      ],
    });
    expect(await people.allocate(allocation(BO, 'OPS', 4, ['2027-W12'], 'b2'))).toEqual(made);
  });

  test('when a person is short, then the answer names the missing hours and a preview writes nothing', async () => {
    const ask = allocation(ANA, 'ERP', 32, ['2027-W11', '2027-W12'], 'a4');

    const { result: previewed, commands } = await recordCommands(client(), () => people.preview(ask));

    expect(commands.every((c) => c.name === 'find')).toBe(true);
    expect(previewed.outcome).toBe('insufficient');
    expect(previewed.detail).toBe(`${ANA} has 15 free hours in 2027-W11, 16 requested`);
    expect(previewed.weeks.map((w) => [w.week, w.freeBefore, w.freeAfter, w.short])).toEqual([
      ['2027-W11', 15, 15, 1],
      ['2027-W12', 30, 30, 0],
    ]);
    expect(await people.allocate(ask)).toEqual(previewed);
  });

  test('when a person is read, then weeks and allocations are two indexed finds', async () => {
    const { result: weeks, plans } = await expectIndexedReads(client(), db(), () =>
      people.weeksOf(ANA, ['2027-W09', '2027-W10', '2027-W12']),
    );

    expect(weeks).toEqual([
      { week: '2027-W09', capacity: 0, allocated: 0, free: 0, utilisation: 0, projects: [] },
      {
        week: '2027-W10',
        capacity: 40,
        allocated: 25,
        free: 15,
        utilisation: 62.5,
        projects: [
          { project: 'CRM', hours: 10 },
          { project: 'ERP', hours: 15 },
        ],
      },
      {
        week: '2027-W12',
        capacity: 40,
        allocated: 10,
        free: 30,
        utilisation: 25,
        projects: [{ project: 'ERP', hours: 10 }],
      },
    ]);
    expect(plans.sort()).toEqual([
      expect.stringMatching(/^find allocations: .*IXSCAN\(holder_allocations\)/),
      expect.stringMatching(/^find capacity_weeks: .*IXSCAN\(holder_week\)/),
    ]);
  });

  test("when a project's people are paged, then each page is an indexed aggregation and find", async () => {
    const weeks = ['2027-W10', '2027-W11'];
    const { result: first, commands } = await recordCommands(client(), () =>
      people.projectMembers('ERP', weeks, { limit: 1 }),
    );
    const second = await people.projectMembers('ERP', weeks, { after: first.next ?? '', limit: 1 });

    expect(first.members).toEqual([
      {
        person: ANA,
        hours: 30,
        weeks: [
          { week: '2027-W10', hours: 15, capacity: 40, allocated: 25, utilisation: 62.5 },
          { week: '2027-W11', hours: 15, capacity: 40, allocated: 25, utilisation: 62.5 },
        ],
      },
    ]);
    // CY works on ERP only in W12: not one of this range's people, so BO's page is the last.
    expect([second.members.map((m) => [m.person, m.hours]), second.next]).toEqual([[[BO, 10]], null]);
    expect(commands.map((c) => c.name)).toEqual(['aggregate', 'find']);
    const [grouped] = commands;
    expect((await aggregatePlan(db(), grouped!)).join(' < ')).toMatch(/IXSCAN\(project_holders\)/);
    await expectIndexedReads(client(), db(), () => people.projectMembers('ERP', ['2027-W12'], { limit: 5 }));
    await expect(people.projectMembers('ERP', weeks, { after: 'garbage', limit: 1 })).rejects.toThrow(
      /not a cursor this list issued/,
    );
  });

  test('when a stored week was edited by hand into another shape, then reading it says where', async () => {
    await db()
      .collection('capacity_weeks')
      .updateOne({ pool: '@people', skill: CY, week: '2027-W11' }, { $set: { capacity: 'thirty' } });

    const read = people.weeksOf(CY, ['2027-W11']);

    await expect(read).rejects.toThrow(StoredDocumentError);
    await expect(read).rejects.toThrow(/`capacity_weeks`.*capacity/);
  });
});
