// The inbox's list: only the rows in view (plus a few) are in the page, so a thousand tasks render
// and scroll as fast as ten. Each row: a checkbox for bulk actions, the title as a link that opens
// the task (a real link: a new tab works), what it is and whose, and the deadline in business time
// with overdue marked in words and an icon, not by colour alone. j/k move the selection, which
// moves the keyboard focus to the row's link, so Enter opens it as any link.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, type MouseEvent, useEffect, useRef } from 'react';
import { navigate } from '../../app/router.js';
import { describeDue, shortInstant } from './due-text.js';
import { KIND_LABEL, type Task, taskPath } from './inbox-data.js';
import type { StepFacts } from './policy-facts.js';

interface TaskListProps {
  tasks: readonly Task[];
  selectedId: string | null;
  openId: string | null;
  checked: ReadonlySet<string>;
  onCheck: (id: string, on: boolean) => void;
  onSelect: (id: string) => void;
  /** Changes whenever the selected row should take the keyboard focus (j/k, closing the panel). */
  focusRequest: number;
  now: number;
  factsOf: (task: Task) => StepFacts | null;
}

const ROW_ESTIMATE_PX = 76;

export function TaskList({
  tasks,
  selectedId,
  openId,
  checked,
  onCheck,
  onSelect,
  focusRequest,
  now,
  factsOf,
}: TaskListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: tasks.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_ESTIMATE_PX,
    getItemKey: (index) => tasks[index]?.id ?? index,
    overscan: 6,
  });

  const tasksRef = useRef(tasks);
  tasksRef.current = tasks;
  const selectedRef = useRef(selectedId);
  selectedRef.current = selectedId;
  useEffect(() => {
    if (focusRequest === 0) return undefined;
    const id = selectedRef.current;
    const index = tasksRef.current.findIndex((t) => t.id === id);
    if (id === null || index < 0) return undefined;
    virtualizer.scrollToIndex(index, { align: 'auto' });
    // The row may mount only after the scroll: try for a few frames.
    let frames = 0;
    let handle = 0;
    const tryFocus = (): void => {
      const link = scroller.current?.querySelector<HTMLElement>(
        `[data-task-id="${CSS.escape(id)}"] .inbox-row-title`,
      );
      if (link) link.focus({ preventScroll: true });
      else if ((frames += 1) < 10) handle = requestAnimationFrame(tryFocus);
    };
    handle = requestAnimationFrame(tryFocus);
    return () => cancelAnimationFrame(handle);
    // Only a new request moves the focus; the virtualizer instance is stable.
  }, [focusRequest]);

  const items = virtualizer.getVirtualItems();
  // The scroller is as tall as its rows. A row measured 0 px tall in a passing layout (seen during a
  // full-page capture) made the list 0 px tall, and a scroller with no height shows no row, so none
  // was ever measured again: the list stayed empty. At least 1 px keeps a row in view to re-measure.
  const height = Math.max(virtualizer.getTotalSize(), tasks.length > 0 ? 1 : 0);
  return (
    <div ref={scroller} className="inbox-scroller" tabIndex={-1}>
      <ul className="inbox-rows" aria-label="Tasks" style={{ height }}>
        {items.map((item) => {
          const task = tasks[item.index];
          if (!task) return null;
          return (
            <li
              key={item.key}
              data-index={item.index}
              data-task-id={task.id}
              ref={virtualizer.measureElement}
              className="inbox-row-slot"
              style={{ transform: `translateY(${item.start}px)` }}
              aria-setsize={tasks.length}
              aria-posinset={item.index + 1}
            >
              <TaskRow
                task={task}
                selected={task.id === selectedId}
                open={task.id === openId}
                checked={checked.has(task.id)}
                onCheck={onCheck}
                onSelect={onSelect}
                now={now}
                facts={factsOf(task)}
              />
            </li>
          );
        })}
      </ul>
    </div>
  );
}

interface TaskRowProps {
  task: Task;
  selected: boolean;
  open: boolean;
  checked: boolean;
  onCheck: (id: string, on: boolean) => void;
  onSelect: (id: string) => void;
  now: number;
  facts: StepFacts | null;
}

const TaskRow = memo(function TaskRow({
  task,
  selected,
  open,
  checked,
  onCheck,
  onSelect,
  now,
  facts,
}: TaskRowProps) {
  const due = describeDue(task.dueAt, now, facts?.calendar ?? null);
  const checkId = `check-${task.id}`;
  const openTask = (event: MouseEvent<HTMLAnchorElement>): void => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    onSelect(task.id);
    navigate(taskPath(task.id));
  };
  const classes = [
    'inbox-row',
    selected ? 'is-selected' : '',
    open ? 'is-open' : '',
    due.state === 'overdue' ? 'is-overdue' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes}>
      <input
        id={checkId}
        type="checkbox"
        className="inbox-check"
        checked={checked}
        aria-label={`Select ${task.title}${task.project ? ` (${task.project})` : ''}`}
        onChange={(e) => onCheck(task.id, e.target.checked)}
        onFocus={() => onSelect(task.id)}
      />
      <div className="inbox-row-main">
        <a
          href={taskPath(task.id)}
          className="inbox-row-title"
          aria-current={open ? 'true' : undefined}
          onClick={openTask}
          onFocus={() => onSelect(task.id)}
        >
          {task.title}
        </a>
        <p className="inbox-row-meta">
          <span className="inbox-kind">{KIND_LABEL[task.kind]}</span> · {task.policy.name} v
          {task.policy.version}
          {task.project ? <> · {task.project}</> : null} · {task.instanceId} · opened{' '}
          {shortInstant(task.openedAt)}
        </p>
        {task.onBehalfOf ? <p className="inbox-behalf">on behalf of {task.onBehalfOf}</p> : null}
      </div>
      <p className={`inbox-row-due due-${due.state}`}>
        {due.state === 'overdue' ? (
          <span className="badge badge-overdue">
            <span aria-hidden="true">⚠ </span>Overdue
          </span>
        ) : null}{' '}
        <span>{due.text}</span>
      </p>
    </div>
  );
});
