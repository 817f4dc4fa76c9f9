// Placeholder: the screen is being built.
export function PeoplePage({ person }: { person: string | null }) {
  return (
    <section className="page">
      <h1>PeoplePage</h1>
      <pre>{JSON.stringify({ person })}</pre>
    </section>
  );
}
