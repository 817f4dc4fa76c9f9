// Reading parsed command-line values, shared by the client commands' dispatchers (main.ts and the
// audit group's audit-main.ts).

/**
 * `count`: exactly that many arguments, or `{ atLeast }` for a command that takes a list
 * (`roles set <person> <role>...`); `takes`: what to say instead of "takes N arguments".
 */
export type Parse = (
  count: number | { atLeast: number },
  takes?: string,
) => { values: Record<string, unknown>; positionals: string[] };

export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export const pagingOf = (values: Record<string, unknown>) => ({
  limit: str(values['limit']),
  cursor: str(values['cursor']),
  all: values['all'] === true,
});
