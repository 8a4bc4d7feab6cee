/** `kyoyu grant`: who may read, write and fetch samples in a collection, up to which TLP. */
import { defined, one, type CommandGroup } from '../command';
import type { Values } from '../options';
import { print, type Row } from '../output';
import { collectionId, tenantOf, tenantPath } from '../scope';

const COLUMNS = ['collectionId', 'grantee.kind', 'grantee.memberId', 'grantee.groupId', 'read', 'write', 'clearance'];

function grantee(values: Values): Row {
  if (values.group) return { kind: 'group', groupId: values.group };
  return { kind: 'member', memberId: one(values.member, 'member or --group') };
}

export const grantCommands: CommandGroup = {
  list: {
    usage: 'grant list [--collection ID] [--member M] [--group G]',
    help: 'Grants of the tenant.',
    run: async (ctx) => {
      const c = await ctx.connect();
      const v = ctx.values;
      const filters = defined({ collection: v.collection, member: v.member?.[0], group: v.group }) as Record<string, string>;
      const query = new URLSearchParams(filters);
      print(ctx, (await c.api<{ grants: Row[] }>('GET', `${await tenantPath(c)}/grants?${query}`)).grants, COLUMNS);
    },
  },
  set: {
    usage: 'grant set --collection ID|TITLE (--member M | --group G) [--read] [--write] [--samples] --clearance TLP',
    help: 'Create or replace the grant of a member or group on a collection.',
    run: async (ctx) => {
      const c = await ctx.connect();
      const tenant = await tenantOf(c);
      const v = ctx.values;
      const collection = await collectionId(c, tenant, v.collection ?? '');
      const body = {
        collectionId: collection,
        grantee: grantee(v),
        read: v.read ?? false,
        write: v.write ?? false,
        clearance: v.clearance ?? 'green',
        samples: v.samples ?? false,
      };
      print(ctx, await c.api('PUT', `/admin/tenants/${tenant}/grants`, body));
    },
  },
  revoke: {
    usage: 'grant revoke --collection ID|TITLE (--member M | --group G)',
    help: 'Delete a grant.',
    run: async (ctx) => {
      const c = await ctx.connect();
      const tenant = await tenantOf(c);
      const collection = await collectionId(c, tenant, ctx.values.collection ?? '');
      await c.api('DELETE', `/admin/tenants/${tenant}/grants`, { collectionId: collection, grantee: grantee(ctx.values) });
      print(ctx, { revoked: collection });
    },
  },
};
