// CommentStore against a real MongoDB server: numbers in the order the server accepted comments,
// even when people write at once; the conversation paged by the store's cursor through one index.
import { commentCollections, CommentStore, type NewComment } from '../../store/comments.js';
import { InvalidCursorError } from '../../store/paging.js';
import { expectIndexedReads } from '../support/plans.js';
import { useStoreDatabase } from '../support/store-db.js';

const comment = (taskId: string, text: string): NewComment => ({
  taskId,
  instanceId: 'inst-1',
  step: 'review',
  author: 'alice@halden.example',
  text,
  mentions: [],
  at: new Date('2027-03-01T10:00:00Z'),
});

describe('CommentStore', () => {
  const { client, db } = useStoreDatabase(import.meta.url, commentCollections);
  let store: CommentStore;

  beforeAll(() => {
    store = new CommentStore(db());
  });

  test('when eight people comment on one task at once, then each gets its own number, 1 to 8', async () => {
    const added = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.add(comment('inst-1/raced', `comment ${i}`))),
    );

    expect(added.map((c) => c.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(added.map((c) => c.id)).size).toBe(8);
    expect(added.every((c) => c.id === `inst-1/raced:${c.seq}`)).toBe(true);
  });

  test('when a conversation is paged, then each page is one indexed find in accepted order', async () => {
    for (const text of ['first', 'second', 'third']) await store.add(comment('inst-1/paged', text));
    await store.add(comment('inst-1/other', 'elsewhere'));

    const first = await expectIndexedReads(client(), db(), () => store.list('inst-1/paged', { limit: 2 }));
    const second = await expectIndexedReads(client(), db(), () =>
      store.list('inst-1/paged', { after: first.result.next ?? undefined, limit: 2 }),
    );

    expect(first.result.items.map((c) => [c.seq, c.text])).toEqual([
      [1, 'first'],
      [2, 'second'],
    ]);
    expect(second.result).toEqual({
      items: [expect.objectContaining({ seq: 3, text: 'third' })],
      next: null,
    });
    expect([...first.plans, ...second.plans]).toEqual([
      expect.stringMatching(/^find task_comments: .*IXSCAN\(by_task_seq\)$/),
      expect.stringMatching(/^find task_comments: .*IXSCAN\(by_task_seq\)$/),
    ]);
  });

  test('when a comment is added, then finding its number is an indexed read too', async () => {
    const { result, plans } = await expectIndexedReads(client(), db(), () =>
      store.add(comment('inst-1/paged', 'fourth')),
    );

    expect(result.seq).toBe(4);
    expect(plans).toEqual([expect.stringMatching(/IXSCAN\(by_task_seq\)$/)]);
  });

  test('when a cursor was not issued by this list, then the page fails with InvalidCursorError', async () => {
    await expect(store.list('inst-1/paged', { after: 'bm9wZQ', limit: 2 })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });
});
