/** `kyoyu collection`: TAXII collections with their pipeline policy. */
import { arg, defined, int, list, type CommandGroup } from '../command';
import type { Values } from '../options';
import { print, type Row } from '../output';
import { tenantPath } from '../scope';

const COLUMNS = ['id', 'title', 'defaultTlp', 'policy.tlpCeiling', 'policy.attribution', 'publication'];

function fields(v: Values): Row {
  const policy = defined({
    tlpCeiling: v['tlp-ceiling'],
    attribution: v.attribution,
    minConfidence: int('min-confidence', v['min-confidence']),
    allowedTypes: list(v['allowed-types']),
    customProperties: list(v['custom-properties']),
    alert: v.alert,
    ackMinutes: int('ack-minutes', v['ack-minutes']),
  });
  return defined({
    title: v.title,
    description: v.description,
    defaultTlp: v['default-tlp'],
    publication: v.publication,
    policy: Object.keys(policy).length ? policy : undefined,
  });
}

export const collectionCommands: CommandGroup = {
  list: {
    usage: 'collection list',
    help: 'Collections with their policy.',
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, (await c.api<{ collections: Row[] }>('GET', `${await tenantPath(c)}/collections`)).collections, COLUMNS);
    },
  },
  get: {
    usage: 'collection get ID',
    help: 'One collection.',
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, await c.api('GET', `${await tenantPath(c)}/collections/${arg(ctx, 0, 'collection id')}`));
    },
  },
  create: {
    usage:
      'collection create --title TITLE [--description TEXT] [--default-tlp TLP] [--tlp-ceiling TLP] [--attribution anonymous|attributed] [--alert all|marked] [--ack-minutes N] ' +
      '[--publication auto|moderation] [--min-confidence N] [--allowed-types a,b] [--custom-properties x_mitre_*,x_name]',
    help: 'Create a collection (its id is a new UUIDv4).',
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, await c.api('POST', `${await tenantPath(c)}/collections`, fields(ctx.values)));
    },
  },
  update: {
    usage: 'collection update ID [the options of create]',
    help: 'Change a collection or its pipeline policy (only the options given).',
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, await c.api('PATCH', `${await tenantPath(c)}/collections/${arg(ctx, 0, 'collection id')}`, fields(ctx.values)));
    },
  },
};
