/** `kyoyu group`: sets of members that grants can name at once. */
import { arg, defined, type CommandGroup } from '../command';
import { print, type Row } from '../output';
import { tenantPath } from '../scope';

const COLUMNS = ['id', 'title', 'kind', 'memberIds', 'member'];

export const groupCommands: CommandGroup = {
  list: {
    usage: 'group list',
    help: 'Groups you may see (secret groups only if you are in them).',
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, (await c.api<{ groups: Row[] }>('GET', `${await tenantPath(c)}/groups`)).groups, COLUMNS);
    },
  },
  get: {
    usage: 'group get ID',
    help: 'One group.',
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, await c.api('GET', `${await tenantPath(c)}/groups/${arg(ctx, 0, 'group id')}`));
    },
  },
  create: {
    usage: 'group create ID --title TITLE --kind open|limited|private|secret [--member M …] [--description TEXT]',
    help: 'Create a group; a secret group is hidden from everyone outside it.',
    run: async (ctx) => {
      const c = await ctx.connect();
      const v = ctx.values;
      const body = defined({ id: arg(ctx, 0, 'group id'), title: v.title, kind: v.kind, description: v.description, memberIds: v.member });
      print(ctx, await c.api('POST', `${await tenantPath(c)}/groups`, body));
    },
  },
  delete: {
    usage: 'group delete ID',
    help: 'Delete a group and its grants.',
    run: async (ctx) => {
      const c = await ctx.connect();
      await c.api('DELETE', `${await tenantPath(c)}/groups/${arg(ctx, 0, 'group id')}`);
      print(ctx, { deleted: ctx.args[0] });
    },
  },
  'add-member': {
    usage: 'group add-member ID MEMBER',
    help: 'Add a member to a group.',
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, await c.api('PUT', `${await tenantPath(c)}/groups/${arg(ctx, 0, 'group id')}/members/${arg(ctx, 1, 'member id')}`));
    },
  },
  'remove-member': {
    usage: 'group remove-member ID MEMBER',
    help: 'Remove a member from a group.',
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, await c.api('DELETE', `${await tenantPath(c)}/groups/${arg(ctx, 0, 'group id')}/members/${arg(ctx, 1, 'member id')}`));
    },
  },
};
