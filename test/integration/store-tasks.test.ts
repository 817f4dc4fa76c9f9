// Tasks and instance views against a real MongoDB-wire server: idempotent under activity retries,
// final once closed, paged inboxes that include delegators' tasks, and views that never go back.
import type { Db, MongoClient } from 'mongodb';
import { InstanceViews, type InstanceView } from '../../store/instances.js';
import { TaskStore, type NewTask } from '../../store/tasks.js';
import { connectMongo, databaseNameFor } from '../support/services.js';

const policy = { name: 'change-approval', version: 3, sha256: 'a'.repeat(64) };
const hour = 3600 * 1000;
const t0 = new Date('2027-03-01T09:00:00Z');
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
const view = (transition: number, over: Partial<InstanceView> = {}): InstanceView => ({
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
  let client: MongoClient;
  let db: Db;
  let tasks: TaskStore;
  let views: InstanceViews;

  beforeAll(async () => {
    client = await connectMongo();
    db = client.db(databaseNameFor(import.meta.url));
    await db.dropDatabase();
    tasks = new TaskStore(db);
    views = new InstanceViews(db);
    await tasks.ensureIndexes();
    await views.ensureIndexes();
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
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
    expect((await tasks.inbox(['alice@x.example'], { limit: 10 })).tasks).toEqual([]);
  });

  test('when an inbox spans delegators, then it pages by deadline then opening time', async () => {
    const due = (h: number) => new Date(t0.getTime() + h * hour);
    await tasks.open(newTask({ id: 'i-2/a', assignees: ['gita@x.example'], dueAt: due(48) }));
    await tasks.open(newTask({ id: 'i-3/a', assignees: ['boss@x.example'], dueAt: due(24) }));
    await tasks.open(newTask({ id: 'i-4/a', assignees: ['boss@x.example'], dueAt: null }));
    await tasks.open(
      newTask({ id: 'i-5/a', assignees: ['gita@x.example'], dueAt: due(24), openedAt: due(1) }),
    );
    await tasks.open(newTask({ id: 'i-6/a', assignees: ['someone.else@x.example'], dueAt: due(1) }));

    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await tasks.inbox(['gita@x.example', 'boss@x.example'], {
        limit: 2,
        ...(after === undefined ? {} : { after }),
      });
      seen.push(...page.tasks.map((t) => t.id));
      if (page.next === null) break;
      after = page.next;
    }

    expect(seen).toEqual(['i-3/a', 'i-5/a', 'i-2/a', 'i-4/a']);
    const report = await tasks.openCountByAge(due(30));
    expect(report).toEqual({
      total: 5,
      overdue: 3,
      byAge: { 'under 1 day': 0, '1-3 days': 5, '3-7 days': 0, 'over 7 days': 0 },
    });
  });

  test('when transitions 1..5 arrive shuffled and at once, then the view ends on 5 and never goes back', async () => {
    const order = [3, 1, 5, 2, 4, 5, 3];

    await Promise.all(order.map((n) => views.upsert(view(n))));
    await views.upsert(view(2));

    const stored = await views.get('i-1');
    expect(stored).toEqual(view(5));
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
