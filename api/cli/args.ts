// Reading parsed command-line values, shared by the client commands' dispatchers (main.ts and the
// audit group's audit-main.ts).

/** `takes`: what to say instead of "takes N arguments" when the count is wrong. */
export type Parse = (
  count: number,
  takes?: string,
) => { values: Record<string, unknown>; positionals: string[] };

export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export const pagingOf = (values: Record<string, unknown>) => ({
  limit: str(values['limit']),
  cursor: str(values['cursor']),
  all: values['all'] === true,
});
