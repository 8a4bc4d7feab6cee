/** `kyoyu tenant`: the ISACs on the platform (creating, limiting and deleting them is for operators). */
import { arg, defined, int, type CommandGroup, type Context } from '../command';
import { print, type Row } from '../output';
import { tenantOf } from '../scope';

const COLUMNS = ['id', 'nameEn', 'nameJa', 'status', 'requestsPerMinute', 'storageQuotaBytes', 'identityId'];

const setStatus = (status: 'suspended' | 'active') => async (ctx: Context) => {
  const c = await ctx.connect();
  print(ctx, await c.api('PATCH', `/admin/tenants/${arg(ctx, 0, 'tenant id')}`, { status }));
};

export const tenantCommands: CommandGroup = {
  list: {
    usage: 'tenant list',
    help: 'Tenants you may see (operators: all).',
    run: async (ctx) => print(ctx, (await (await ctx.connect()).api<{ tenants: Row[] }>('GET', '/admin/tenants')).tenants, COLUMNS),
  },
  get: {
    usage: 'tenant get [ID]',
    help: 'One tenant with its STIX identity.',
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, await c.api('GET', `/admin/tenants/${ctx.args[0] ?? (await tenantOf(c))}`));
    },
  },
  create: {
    usage: 'tenant create ID --name-en NAME --name-ja NAME [--description TEXT]',
    help: 'Create a tenant (operators).',
    run: async (ctx) => {
      const v = ctx.values;
      const body = defined({ id: arg(ctx, 0, 'tenant id'), nameEn: v['name-en'], nameJa: v['name-ja'], description: v.description });
      print(ctx, await (await ctx.connect()).api('POST', '/admin/tenants', body));
    },
  },
  update: {
    usage:
      'tenant update ID [--name-en NAME] [--name-ja NAME] [--description TEXT] [--requests-per-minute N|default] ' +
      '[--storage-quota-bytes N|default]',
    help:
      'Rename or describe a tenant; operators set its TAXII request limit and its storage quota for attachments and samples ' +
      "(`default`: the platform's).",
    run: async (ctx) => {
      const v = ctx.values;
      const limit = (name: 'requests-per-minute' | 'storage-quota-bytes') => (v[name] === 'default' ? null : int(name, v[name]));
      const body = defined({
        nameEn: v['name-en'],
        nameJa: v['name-ja'],
        description: v.description,
        requestsPerMinute: limit('requests-per-minute'),
        storageQuotaBytes: limit('storage-quota-bytes'),
      });
      print(ctx, await (await ctx.connect()).api('PATCH', `/admin/tenants/${arg(ctx, 0, 'tenant id')}`, body));
    },
  },
  suspend: { usage: 'tenant suspend ID', help: 'Suspend a tenant: its credentials stop working (operators).', run: setStatus('suspended') },
  resume: { usage: 'tenant resume ID', help: 'Resume a suspended tenant (operators).', run: setStatus('active') },
  delete: {
    usage: 'tenant delete ID',
    help: 'Delete a tenant for good; its id is never reused (operators).',
    run: async (ctx) => {
      await (await ctx.connect()).api('DELETE', `/admin/tenants/${arg(ctx, 0, 'tenant id')}`);
      print(ctx, { deleted: ctx.args[0] });
    },
  },
};
