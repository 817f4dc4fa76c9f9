// The instance's tasks, open and closed, and the conversation on each: who is asked to do what, by
// when, how it closed, a link to the task in the inbox (where approvers act), and the comments.
import { Link } from '../../app/router.js';
import { useLive } from '../../app/live.js';
import { Empty, Loaded } from '../../components/states.js';
import { formatInstant } from './format.js';
import { readComments, readTasks, type Task } from './reads.js';

const KIND_WORD: Record<Task['kind'], string> = {
  approval: 'approval',
  attestation: 'attestation',
  waiver: 'waiver',
};

export function InstanceTasks({ instanceId }: { instanceId: string }) {
  const tasks = useLive(`tasks:${instanceId}`, () => readTasks(instanceId));
  return (
    <Loaded read={tasks} what="the tasks of this request">
      {(items) =>
        items.length === 0 ? (
          <Empty title="No tasks yet">
            When a step asks people to approve, attest or waive, their task shows here.
          </Empty>
        ) : (
          <ul className="instance-tasks">
            {items.map((task) => (
              <TaskItem key={task.id} task={task} />
            ))}
          </ul>
        )
      }
    </Loaded>
  );
}

function TaskItem({ task }: { task: Task }) {
  return (
    <li className="instance-task">
      <div className="instance-task-head">
        <h3>
          {task.status === 'open' ? (
            <Link to={`/tasks/${encodeURIComponent(task.id)}`}>{task.title}</Link>
          ) : (
            task.title
          )}
        </h3>
        <span className={`badge badge-${task.status}`}>{task.status}</span>
      </div>
      <p className="instance-task-meta">
        {KIND_WORD[task.kind]} at step <code>{task.step}</code>
        {task.dueAt ? (
          <>
            {' '}
            · due <time dateTime={task.dueAt}>{formatInstant(task.dueAt)}</time>
          </>
        ) : null}
      </p>
      <p className="instance-task-meta">
        {task.status === 'open' ? 'Asked: ' : 'Was asked: '}
        {task.assignees.join(', ') || 'nobody (the step is blocked)'}
      </p>
      {task.closeReason ? <p className="instance-task-meta">Closed: {task.closeReason}</p> : null}
      {task.blockedOn ? <p className="instance-task-meta">Blocked on {task.blockedOn}</p> : null}
      <Comments taskId={task.id} />
    </li>
  );
}

function Comments({ taskId }: { taskId: string }) {
  const comments = useLive(`comments:${taskId}`, () => readComments(taskId));
  return (
    <div className="comments">
      <h4>Comments</h4>
      <Loaded read={comments} what="the comments">
        {(items) =>
          items.length === 0 ? (
            <p className="comments-none">No comments yet. Open the task to write one.</p>
          ) : (
            <ol className="comment-list">
              {items.map((c) => (
                <li key={c.id}>
                  <p className="comment-head">
                    <strong>{c.author}</strong> <time dateTime={c.at}>{formatInstant(c.at)}</time>
                  </p>
                  <p className="comment-text">{c.text}</p>
                </li>
              ))}
            </ol>
          )
        }
      </Loaded>
    </div>
  );
}
