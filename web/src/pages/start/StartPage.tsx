// Placeholder: the screen is being built.
export function StartPage({
  choice,
}: {
  choice: { policy: string; version: number; process: string } | null;
}) {
  return (
    <section className="page">
      <h1>StartPage</h1>
      <pre>{JSON.stringify({ choice })}</pre>
    </section>
  );
}
