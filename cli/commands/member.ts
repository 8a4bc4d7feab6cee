/** `kyoyu member`: the organisations of a tenant. */
import { arg, defined, int, type Command, type CommandGroup, type Context } from '../command';
import type { Values } from '../options';
import { print, type Row } from '../output';
import { tenantPath } from '../scope';

const COLUMNS = ['id', 'nameEn', 'nameJa', 'sector', 'tier', 'status', 'secretOptIn'];

const fields = (v: Values) =>
  defined({ nameEn: v['name-en'], nameJa: v['name-ja'], sector: v.sector, tier: int('tier', v.tier), secretOptIn: v['secret-opt-in'] });

const setStatus = (verb: 'suspend' | 'resume' | 'expel', help: string): Command => ({
  usage: `member ${verb} ID`,
  help,
  run: async (ctx: Context) => {
    const c = await ctx.connect();
    const status = { suspend: 'suspended', resume: 'active', expel: 'expelled' }[verb];
    print(ctx, await c.api('PATCH', `${await tenantPath(c)}/members/${arg(ctx, 0, 'member id')}`, { status }));
  },
});

export const memberCommands: CommandGroup = {
  list: {
    usage: 'member list [--tenant ID]',
    help: 'Members of the tenant.',
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, (await c.api<{ members: Row[] }>('GET', `${await tenantPath(c)}/members`)).members, COLUMNS);
    },
  },
  get: {
    usage: 'member get ID',
    help: 'One member.',
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, await c.api('GET', `${await tenantPath(c)}/members/${arg(ctx, 0, 'member id')}`));
    },
  },
  create: {
    usage: 'member create ID --name-en NAME --name-ja NAME [--sector S] [--tier N] [--secret-opt-in]',
    help: 'Add a member organisation.',
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, await c.api('POST', `${await tenantPath(c)}/members`, { id: arg(ctx, 0, 'member id'), ...fields(ctx.values) }));
    },
  },
  update: {
    usage: 'member update ID [--name-en NAME] [--name-ja NAME] [--sector S] [--tier N] [--secret-opt-in]',
    help: 'Change a member.',
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, await c.api('PATCH', `${await tenantPath(c)}/members/${arg(ctx, 0, 'member id')}`, fields(ctx.values)));
    },
  },
  suspend: setStatus('suspend', 'Suspend a member: its users and keys stop working on their next request.'),
  resume: setStatus('resume', 'Make a member active again.'),
  expel: setStatus('expel', 'Expel a member: its users and keys stop working on their next request.'),
};
