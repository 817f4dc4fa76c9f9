// A person id (an e-mail address) that may break after its `@` on a narrow screen instead of
// pushing the layout sideways.
export function PersonId({ id }: { id: string }) {
  const at = id.indexOf('@');
  if (at < 0) return <>{id}</>;
  return (
    <>
      {id.slice(0, at + 1)}
      <wbr />
      {id.slice(at + 1)}
    </>
  );
}
