// Tasks and instance views against a real MongoDB-wire server: idempotent under activity retries,
// final once closed (the first close wins a race), widenings that lose nobody, paged inboxes that
// include delegators' tasks through one indexed query, and views that never go back.
import type { CommandStartedEvent, CommandSucceededEvent } from 'mongodb';
import { StoredDocumentError } from '../../store/documents.js';
import { InvalidCursorError, openStore } from '../../store/index.js';
import type { InstanceViews, ViewWrite } from '../../store/instances.js';
import type { NewTask, TaskStore } from '../../store/tasks.js';
import { expectIndexedReads, recordCommands } from '../support/plans.js';
import { useStoreDatabase } from '../support/store-db.js';

const policy = { name: 'change-approval', version: 3, sha256: 'a'.repeat(64) };
const hour = 3600 * 1000;
const t0 = new Date('2027-03-01T09:00:00Z');
const due = (h: number) => new Date(t0.getTime() + h * hour);
const newTask = (over: Partial<NewTask> & { id: string }): NewTask => ({
  instanceId: over.id.split('/')[0] ?? 'i',
  task: over.id.split('/')[1] ?? 't',
  step: 'cab-approval',
  title: 'Approve change CHG-1',
  kind: 'approval',
  assignees: ['alice@x.example'],
  dueAt: null,
  openedAt: t0,
  policy,
  process: 'change',
  project: null,
  ...over,
});
const view = (transition: number, over: Partial<ViewWrite> = {}): ViewWrite => ({
  instanceId: 'i-1',
  workflowId: 'wf-i-1',
  policy,
  process: 'change',
  project: 'erp-upgrade',
  status: transition === 5 ? 'approved' : 'running',
  message: null,
  startedAt: t0,
  startedBy: 'rita@x.example',
  endedAt: transition === 5 ? new Date(t0.getTime() + 5 * hour) : null,
  currentSteps: [`step-${transition}`],
  blockedOn: [{ step: `step-${transition}`, kind: 'approval', text: `waiting ${transition}`, dueAt: null }],
  transition,
  ...over,
});

describe('TaskStore and InstanceViews', () => {
  const { client, db } = useStoreDatabase(import.meta.url);
  let tasks: TaskStore;
  let views: InstanceViews;

  /** Every page of an inbox, following the cursors. */
  async function wholeInbox(people: string[], limit: number): Promise<string[][]> {
    const pages: string[][] = [];
    let after: string | undefined;
    for (let n = 0; n < 20; n++) {
      const page = await tasks.inbox(people, { limit, ...(after === undefined ? {} : { after }) });
      pages.push(page.tasks.map((t) => t.id));
      if (page.next === null) return pages;
      after = page.next;
    }
    throw new Error('the inbox did not end within 20 pages');
  }

  beforeAll(async () => {
    // As the worker and the API get them: the schema version stamped, the manifest (already applied) in place.
    ({ tasks, views } = await openStore(db()));
  });

  test('when a task is opened twice, then it exists once with the first opening', async () => {
    await tasks.open(newTask({ id: 'i-1/cab' }));
    await tasks.open(newTask({ id: 'i-1/cab', title: 'a retry that should change nothing' }));

    const task = await tasks.get('i-1/cab');
    expect(task).toMatchObject({ id: 'i-1/cab', title: 'Approve change CHG-1', status: 'open' });
    expect(task?.assignees).toEqual(['alice@x.example']);
  });

  test('when people are added concurrently, then all of them stay assigned', async () => {
    const people = ['bob@x.example', 'carol@x.example', 'dave@x.example', 'erin@x.example', 'bob@x.example'];

    await Promise.all(people.map((p) => tasks.addAssignees('i-1/cab', [p])));

    expect((await tasks.get('i-1/cab'))?.assignees.sort()).toEqual([
      'alice@x.example',
      'bob@x.example',
      'carol@x.example',
      'dave@x.example',
      'erin@x.example',
    ]);
  });

  test('when 20 different people are added at once, then every one of them lands', async () => {
    await tasks.open(newTask({ id: 'w-1/wide', assignees: ['lead@x.example'] }));
    const people = Array.from({ length: 20 }, (_, i) => `member-${String(i).padStart(2, '0')}@x.example`);

    await Promise.all(people.map((p) => tasks.addAssignees('w-1/wide', [p])));

    expect((await tasks.get('w-1/wide'))?.assignees.sort()).toEqual(['lead@x.example', ...people].sort());
    await tasks.close('w-1/wide', 'done', due(1));
  });

  test('when a task is closed, then a second close and a late open retry change nothing', async () => {
    await tasks.setBlockedOn('i-1/cab', 'waiting for 2 more of cab');
    await Promise.all([
      tasks.close('i-1/cab', 'quorum reached', new Date(t0.getTime() + hour)),
      tasks.addAssignees('i-1/cab', ['frank@x.example']),
    ]);
    await tasks.close('i-1/cab', 'cancelled', new Date(t0.getTime() + 2 * hour));
    await tasks.open(newTask({ id: 'i-1/cab' }));

    expect(await tasks.get('i-1/cab')).toMatchObject({
      status: 'closed',
      closeReason: 'quorum reached',
      closedAt: new Date(t0.getTime() + hour),
      blockedOn: 'waiting for 2 more of cab',
    });
    expect((await tasks.get('i-1/cab'))?.assignees).toContain('frank@x.example');
    expect((await tasks.inbox(['alice@x.example'], { limit: 10 })).tasks).toEqual([]);
  });

  test('when 10 closes with different reasons race, then exactly the first writer’s stands', async () => {
    await tasks.open(newTask({ id: 'r-1/race' }));
    const reasonOf = new Map<number, unknown>();
    const won: unknown[] = [];
    const started = (e: CommandStartedEvent) => {
      const updates = e.command['updates'] as { u: { $set?: { closeReason?: unknown } } }[] | undefined;
      if (e.commandName === 'update') reasonOf.set(e.requestId, updates?.[0]?.u.$set?.closeReason);
    };
    const succeeded = (e: CommandSucceededEvent) => {
      if (e.commandName === 'update' && (e.reply as { n?: unknown }).n === 1)
        won.push(reasonOf.get(e.requestId));
    };
    client().on('commandStarted', started);
    client().on('commandSucceeded', succeeded);
    try {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => tasks.close('r-1/race', `reason ${i}`, due(i + 1))),
      );
    } finally {
      client().off('commandStarted', started);
      client().off('commandSucceeded', succeeded);
    }

    const stored = await tasks.get('r-1/race');
    expect(won).toHaveLength(1);
    expect(stored?.closeReason).toBe(won[0]);
    const i = Number(String(won[0]).replace('reason ', ''));
    expect(stored).toMatchObject({ status: 'closed', closedAt: due(i + 1) });
  });

  test('when a task that was never opened is widened, blocked or closed, then each call says so', async () => {
    await expect(tasks.addAssignees('nope/x', ['a@x.example'])).rejects.toThrow('never opened');
    await expect(tasks.setBlockedOn('nope/x', 'waiting')).rejects.toThrow('never opened');
    await expect(tasks.close('nope/x', 'done', t0)).rejects.toThrow('never opened');
    expect(await tasks.get('nope/x')).toBeNull();
  });

  test('when an inbox spans delegators, then it pages by deadline then opening time', async () => {
    await tasks.open(newTask({ id: 'i-2/a', assignees: ['gita@x.example'], dueAt: due(48) }));
    await tasks.open(newTask({ id: 'i-3/a', assignees: ['boss@x.example'], dueAt: due(24) }));
    await tasks.open(newTask({ id: 'i-4/a', assignees: ['boss@x.example'], dueAt: null }));
    await tasks.open(
      newTask({ id: 'i-5/a', assignees: ['gita@x.example'], dueAt: due(24), openedAt: due(1) }),
    );
    await tasks.open(newTask({ id: 'i-6/a', assignees: ['someone.else@x.example'], dueAt: due(1) }));
    // Assigned to both people asked about: listed once.
    await tasks.open(
      newTask({ id: 'i-7/a', assignees: ['gita@x.example', 'boss@x.example'], dueAt: due(36) }),
    );

    const pages = await wholeInbox(['gita@x.example', 'boss@x.example'], 2);

    expect(pages).toEqual([['i-3/a', 'i-5/a'], ['i-7/a', 'i-2/a'], ['i-4/a']]);
    expect((await wholeInbox(['gita@x.example'], 500)).flat()).toEqual(['i-5/a', 'i-7/a', 'i-2/a']);
    expect((await wholeInbox(['boss@x.example'], 1)).flat()).toEqual(['i-3/a', 'i-7/a', 'i-4/a']);
  });

  test('when the open tasks are counted by age, then closed ones are left out and the read is indexed', async () => {
    const { result, plans } = await expectIndexedReads(client(), db(), () => tasks.openCountByAge(due(30)));

    // Open: i-2..i-7 (t0, i-5 an hour later): 29-30 hours old; overdue: i-3, i-5 (24 h), i-6 (1 h).
    expect(result).toEqual({
      total: 6,
      overdue: 3,
      byAge: { 'under 1 day': 0, '1-3 days': 6, '3-7 days': 0, 'over 7 days': 0 },
    });
    expect(plans).toEqual([expect.stringContaining('IXSCAN(tasks_open_by_age)')]);
  });

  test('when an inbox page is read, first or after a cursor, then the read is one index scan', async () => {
    const people = ['gita@x.example', 'boss@x.example'];
    const first = await expectIndexedReads(client(), db(), () => tasks.inbox(people, { limit: 2 }));
    const after = first.result.next ?? 'missing';
    const second = await expectIndexedReads(client(), db(), () => tasks.inbox(people, { limit: 2, after }));

    expect(first.plans).toEqual([expect.stringContaining('IXSCAN(tasks_inbox)')]);
    expect(second.plans).toEqual([expect.stringContaining('IXSCAN(tasks_inbox)')]);
    expect(second.result.tasks.map((t) => t.id)).toEqual(['i-7/a', 'i-2/a']);
  });

  test('when a cursor of another list or a garbled one is passed, then the inbox refuses it', async () => {
    const foreign = Buffer.from(JSON.stringify(['instances', 1, 'x'])).toString('base64url');
    const wrongShape = Buffer.from(JSON.stringify(['inbox', 1, 'x'])).toString('base64url');

    for (const after of [foreign, wrongShape, 'not a cursor!', '']) {
      await expect(tasks.inbox(['gita@x.example'], { limit: 2, after })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    }
  });

  test('when a task is opened, widened, closed and an inbox page read, then each sends one command', async () => {
    const count = async (run: () => Promise<unknown>) =>
      (await recordCommands(client(), run)).commands.map((c) => c.name);

    expect(
      await count(() => tasks.open(newTask({ id: 'c-1/count', assignees: ['hana@x.example'] }))),
    ).toEqual(['insert']);
    expect(await count(() => tasks.addAssignees('c-1/count', ['ivan@x.example', 'jo@x.example']))).toEqual([
      'update',
    ]);
    expect(await count(() => tasks.inbox(['ivan@x.example', 'hana@x.example'], { limit: 50 }))).toEqual([
      'find',
    ]);
    expect(await count(() => tasks.close('c-1/count', 'approved', due(2)))).toEqual(['update']);
  });

  test('when a task document was edited by hand into another shape, then reading it names the task', async () => {
    await db()
      .collection('tasks')
      .insertOne({ _id: 'bad/x' as never, instanceId: 'bad', status: 'maybe' });

    await expect(tasks.get('bad/x')).rejects.toThrow(StoredDocumentError);
    await expect(tasks.get('bad/x')).rejects.toThrow(/`tasks` \(_id "bad\/x"\)/);
  });

  test('when transitions 1..5 arrive shuffled and at once, then the view ends on 5 and never goes back', async () => {
    const order = [3, 1, 5, 2, 4, 5, 3];

    await Promise.all(order.map((n) => views.upsert(view(n))));
    await views.upsert(view(2));

    const stored = await views.get('i-1');
    expect(stored).toMatchObject(view(5));
  });

  test('when instances are listed with a filter, then they page newest first', async () => {
    for (let i = 0; i < 5; i++) {
      await views.upsert(
        view(1, {
          instanceId: `j-${i}`,
          startedAt: new Date(t0.getTime() + i * hour),
          startedBy: i % 2 === 0 ? 'rita@x.example' : 'ben@x.example',
        }),
      );
    }

    const first = await views.list({ startedBy: 'rita@x.example', status: 'running' }, { limit: 2 });
    const second = await views.list(
      { startedBy: 'rita@x.example', status: 'running' },
      { limit: 2, ...(first.next === null ? {} : { after: first.next }) },
    );
    const inWindow = await views.list(
      {
        policyName: 'change-approval',
        from: new Date(t0.getTime() + hour),
        to: new Date(t0.getTime() + 3 * hour),
      },
      { limit: 10 },
    );

    expect(first.instances.map((v) => v.instanceId)).toEqual(['j-4', 'j-2']);
    expect(second.instances.map((v) => v.instanceId)).toEqual(['j-0']);
    expect(second.next).toBeNull();
    expect(inWindow.instances.map((v) => v.instanceId)).toEqual(['j-2', 'j-1']);
  });
});
