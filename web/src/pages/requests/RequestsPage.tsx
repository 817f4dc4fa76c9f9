// Placeholder: the screen is being built.
export function RequestsPage() {
  return (
    <section className="page">
      <h1>RequestsPage</h1>
      <pre>{JSON.stringify({})}</pre>
    </section>
  );
}
