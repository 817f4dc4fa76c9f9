// `charter roles show|set`: the roles an admin granted a person of the directory, from a terminal.
// `set` names every role the person is to have, so the command reads as the state it leaves
// (`charter roles set pat@x approver auditor`); taking all away needs `--none`, so that a forgotten
// argument does not do it. What a removal ended (sessions, tokens carrying the role) is printed,
// since the person will notice at once. Single sign-on adds these roles to those of their groups.
import { UsageError } from '../../dsl/cli/files.js';
import type { CommandContext } from './commands.js';
import { cell, type Row } from './render.js';

const rolesPath = (person: string): string => `/v1/directory/people/${encodeURIComponent(person)}/roles`;

const rolesText = (roles: unknown): string => {
  const list = roles as string[];
  return list.length === 0 ? 'no roles' : list.join(', ');
};

export async function showRolesCommand(ctx: CommandContext, person: string): Promise<void> {
  const answer = await ctx.client.get<Row>(rolesPath(person));
  if (ctx.json) {
    ctx.out(`${JSON.stringify(answer, null, 2)}\n`);
    return;
  }
  const last =
    answer['updatedBy'] === null
      ? 'never granted'
      : `set by ${cell(answer['updatedBy'])} at ${cell(answer['updatedAt'])}`;
  ctx.out(`${cell(answer['person'])}: ${rolesText(answer['roles'])} (${last})\n`);
}

export async function setRolesCommand(
  ctx: CommandContext,
  person: string,
  roles: readonly string[],
  none: boolean,
): Promise<void> {
  if (none && roles.length > 0) throw new UsageError('give roles or --none, not both');
  if (!none && roles.length === 0) {
    throw new UsageError('roles set needs the roles the person is to have, or --none to take all away');
  }
  // The roles themselves are the API's to check: it names a wrong one at its index.
  const answer = await ctx.client.put<Row>(rolesPath(person), { roles });
  if (ctx.json) {
    ctx.out(`${JSON.stringify(answer, null, 2)}\n`);
    return;
  }
  const who = cell(answer['person']);
  if (answer['changed'] !== true) {
    ctx.out(`${who} already has ${rolesText(answer['roles'])}: nothing changed\n`);
    return;
  }
  const revoked = answer['tokensRevoked'] as string[];
  const ended = Number(answer['sessionsEnded']);
  const effects = [
    ...(ended > 0 ? [`ended ${ended} browser session${ended === 1 ? '' : 's'}`] : []),
    ...(revoked.length > 0 ? [`revoked tokens ${revoked.join(', ')}`] : []),
  ];
  ctx.out(
    `${who} now has ${rolesText(answer['roles'])}${effects.length > 0 ? `; ${effects.join(' and ')}` : ''}\n`,
  );
}
