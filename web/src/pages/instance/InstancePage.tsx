// Placeholder: the screen is being built.
export function InstancePage({ instanceId }: { instanceId: string }) {
  return (
    <section className="page">
      <h1>InstancePage</h1>
      <pre>{JSON.stringify({ instanceId })}</pre>
    </section>
  );
}
