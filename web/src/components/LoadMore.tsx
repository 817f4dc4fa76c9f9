// The foot of a list paged by cursor (app/paged-list.ts): why the last "Load more" failed, if it
// did, and the button that reads the next page while more rows match.
import type { PagedList } from '../app/paged-list.js';
import { ErrorNotice } from './states.js';

type MoreOf = Pick<PagedList<unknown>, 'hasMore' | 'loadMore' | 'loadingMore' | 'moreError'>;

/** `what` names the rows in the plural: "people", "events". */
export function LoadMore({ list, what, className }: { list: MoreOf; what: string; className?: string }) {
  return (
    <>
      {list.moreError ? <ErrorNotice failure={list.moreError} title={`Could not load more ${what}`} /> : null}
      {list.hasMore ? (
        <p className={className ?? 'actions'}>
          <button
            type="button"
            className="button"
            disabled={list.loadingMore}
            onClick={() => void list.loadMore()}
          >
            {list.loadingMore ? `Loading more ${what}…` : `Load more ${what}`}
          </button>
        </p>
      ) : null}
    </>
  );
}
