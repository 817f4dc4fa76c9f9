// Placeholder: the screen is being built.
export function AuditPage() {
  return (
    <section className="page">
      <h1>AuditPage</h1>
      <pre>{JSON.stringify({})}</pre>
    </section>
  );
}
