// Placeholder: the screen is being built.
export function InboxPage({ taskId }: { taskId: string | null }) {
  return (
    <section className="page">
      <h1>InboxPage</h1>
      <pre>{JSON.stringify({ taskId })}</pre>
    </section>
  );
}
