/** `kyoyu key`: API keys of a member, for tools (OpenCTI, MISP, Sentinel…). */
import { arg, defined, type CommandGroup } from '../command';
import { print, type Row } from '../output';
import { memberPath } from '../scope';

const COLUMNS = ['id', 'name', 'role', 'status', 'createdAt', 'expiresAt'];

export const keyCommands: CommandGroup = {
  list: {
    usage: 'key list --member M',
    help: 'API keys of a member (never their secrets).',
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, (await c.api<{ keys: Row[] }>('GET', `${await memberPath(ctx, c)}/keys`)).keys, COLUMNS);
    },
  },
  create: {
    usage: 'key create --member M --name NAME --role ROLE [--expires ISO-TIME]',
    help: 'Create an API key; the key is printed once. Use it as `Bearer <key>`, `Token <key>` or as the Basic password.',
    run: async (ctx) => {
      const c = await ctx.connect();
      const body = defined({ name: ctx.values.name, role: ctx.values.role, expiresAt: ctx.values.expires });
      print(ctx, await c.api('POST', `${await memberPath(ctx, c)}/keys`, body));
    },
  },
  update: {
    usage: 'key update ID --member M [--name NAME] [--role ROLE] [--status active|suspended] [--expires ISO-TIME|never]',
    help: 'Change an API key.',
    run: async (ctx) => {
      const c = await ctx.connect();
      const v = ctx.values;
      const body = defined({ name: v.name, role: v.role, status: v.status, expiresAt: v.expires === 'never' ? null : v.expires });
      print(ctx, await c.api('PATCH', `${await memberPath(ctx, c)}/keys/${arg(ctx, 0, 'key id')}`, body));
    },
  },
  rotate: {
    usage: 'key rotate ID --member M',
    help: 'Issue a new secret for the key (printed once).',
    run: async (ctx) => {
      const c = await ctx.connect();
      const path = `${await memberPath(ctx, c)}/keys/${arg(ctx, 0, 'key id')}/rotate`;
      print(ctx, await c.api('POST', path, defined({ expiresAt: ctx.values.expires })));
    },
  },
  revoke: {
    usage: 'key revoke ID --member M',
    help: 'Revoke an API key; it stops working on its next request.',
    run: async (ctx) => {
      const c = await ctx.connect();
      await c.api('DELETE', `${await memberPath(ctx, c)}/keys/${arg(ctx, 0, 'key id')}`);
      print(ctx, { revoked: ctx.args[0] });
    },
  },
};
