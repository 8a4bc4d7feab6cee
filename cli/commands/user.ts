/** `kyoyu user`: the people of a member, each with a password and a role. */
import { arg, defined, type CommandGroup } from '../command';
import { print, type Row } from '../output';
import { memberPath } from '../scope';

const COLUMNS = ['username', 'role', 'status', 'expiresAt'];

export const userCommands: CommandGroup = {
  list: {
    usage: 'user list --member M',
    help: 'Users of a member.',
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, (await c.api<{ users: Row[] }>('GET', `${await memberPath(ctx, c)}/users`)).users, COLUMNS);
    },
  },
  create: {
    usage: 'user create USERNAME --member M --role ROLE [--expires ISO-TIME]',
    help: 'Create a user; its password is printed once. Roles: tenant-admin, moderator, analyst, reader, submit-only.',
    run: async (ctx) => {
      const c = await ctx.connect();
      const body = defined({ username: arg(ctx, 0, 'username'), role: ctx.values.role, expiresAt: ctx.values.expires });
      print(ctx, await c.api('POST', `${await memberPath(ctx, c)}/users`, body));
    },
  },
  update: {
    usage: 'user update USERNAME --member M [--role ROLE] [--status active|suspended] [--expires ISO-TIME|never]',
    help: 'Change a user.',
    run: async (ctx) => {
      const c = await ctx.connect();
      const v = ctx.values;
      const body = defined({ role: v.role, status: v.status, expiresAt: v.expires === 'never' ? null : v.expires });
      print(ctx, await c.api('PATCH', `${await memberPath(ctx, c)}/users/${arg(ctx, 0, 'username')}`, body));
    },
  },
  rotate: {
    usage: 'user rotate USERNAME --member M',
    help: 'Issue a new password (printed once); the old one stops working.',
    run: async (ctx) => {
      const c = await ctx.connect();
      const path = `${await memberPath(ctx, c)}/users/${arg(ctx, 0, 'username')}/rotate`;
      print(ctx, await c.api('POST', path, defined({ expiresAt: ctx.values.expires })));
    },
  },
  delete: {
    usage: 'user delete USERNAME --member M',
    help: 'Delete a user.',
    run: async (ctx) => {
      const c = await ctx.connect();
      await c.api('DELETE', `${await memberPath(ctx, c)}/users/${arg(ctx, 0, 'username')}`);
      print(ctx, { deleted: ctx.args[0] });
    },
  },
};
