// The caller's tasks on this instance and the conversation on each: what they are asked to do,
// by when, a link to the task in the inbox where they act, and the comments so far. The API lists
// tasks only through each approver's inbox, so this section is for approvers and admins.
import { Link } from '../../app/router.js';
import { useLive } from '../../app/live.js';
import { Empty, Loaded } from '../../components/states.js';
import { formatInstant } from './format.js';
import { readComments, readMyTasks, type Task } from './reads.js';

const KIND_WORD: Record<Task['kind'], string> = {
  approval: 'approval',
  attestation: 'attestation',
  waiver: 'waiver',
};

export function InstanceTasks({ instanceId }: { instanceId: string }) {
  const tasks = useLive(`tasks:${instanceId}`, () => readMyTasks(instanceId));
  return (
    <Loaded read={tasks} what="your tasks on this request">
      {(items) =>
        items.length === 0 ? (
          <Empty title="No open tasks of yours on this request">
            When a step asks you (or someone you stand in for) to act, the task shows here and in your inbox.
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
          <Link to={`/tasks/${encodeURIComponent(task.id)}`}>{task.title}</Link>
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
        {task.onBehalfOf ? <> · for {task.onBehalfOf}</> : null}
      </p>
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
