/** `kyoyu status`: who you are on which endpoint, and what you can reach there. */
import type { Command } from '../command';
import { print, type Row } from '../output';

interface WhoAmI {
  username: string;
  role: string;
  tenant?: { id: string; nameEn: string };
  member?: { id: string };
}

export const status: Command = {
  usage: 'status',
  help: 'Who you are on which endpoint, and what you can reach there.',
  run: async (ctx) => {
    const c = await ctx.connect();
    const me = await c.api<WhoAmI>('GET', '/admin/whoami');
    const out: Row = { endpoint: c.endpoint, username: me.username, role: me.role };
    if (me.tenant) {
      type Visible = { title: string; can_read: boolean; can_write: boolean };
      const { collections = [] } = await c.taxii<{ collections?: Visible[] }>('GET', `/${me.tenant.id}/collections/`);
      const access = (x: Visible) => [x.can_read && 'read', x.can_write && 'write'].filter(Boolean).join('+');
      Object.assign(out, {
        tenant: me.tenant.id,
        member: me.member?.id,
        api_root: `${c.endpoint}/${me.tenant.id}/`,
        collections: collections.map((x) => `${x.title} (${access(x)})`),
      });
    } else {
      out.tenants = (await c.api<{ tenants: Array<{ id: string }> }>('GET', '/admin/tenants')).tenants.map((t) => t.id);
    }
    print(ctx, out);
  },
};
