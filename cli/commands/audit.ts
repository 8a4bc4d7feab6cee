/** `kyoyu audit`: the tenant's (or, for operators, the platform's) hash-chained audit log. */
import { defined, type CommandGroup } from '../command';
import type { Connection } from '../connection';
import { print, type Row } from '../output';
import { isOperator, tenantPath } from '../scope';

const COLUMNS = ['seq', 'at', 'actor.username', 'memberId', 'action', 'target.id', 'details'];

/** An operator without a tenant reads the platform log; everyone else their tenant's. */
const auditPath = async (c: Connection): Promise<string> =>
  c.profile.tenant || !(await isOperator(c)) ? `${await tenantPath(c)}/audit` : '/admin/audit';

export const auditCommands: CommandGroup = {
  list: {
    usage: 'audit list [--since ISO] [--until ISO] [--member M] [--limit N] [--log main|auth]',
    help: "The tenant's audit log in time order (operators without --tenant: the platform log); --log auth: refused credentials.",
    run: async (ctx) => {
      const c = await ctx.connect();
      const v = ctx.values;
      const filters = defined({ since: v.since, until: v.until, member: v.member?.[0], limit: v.limit, log: v.log }) as Record<
        string,
        string
      >;
      const query = new URLSearchParams(filters);
      print(ctx, (await c.api<{ entries: Row[] }>('GET', `${await auditPath(c)}?${query}`)).entries, COLUMNS);
    },
  },
  verify: {
    usage: 'audit verify [--log main|auth]',
    help: 'Verify the audit log (hashes, links, MACs, latest anchor); exits 1 if an entry was altered, removed, reordered or re-sealed, or the chain was cut back.',
    run: async (ctx) => {
      const c = await ctx.connect();
      type Verified = { ok: boolean; entries: number; headHash: string; problems: Row[] };
      const log = ctx.values.log ? `?log=${encodeURIComponent(ctx.values.log)}` : '';
      const result = await c.api<Verified>('GET', `${await auditPath(c)}/verify${log}`);
      if (ctx.json) print(ctx, result);
      else {
        const problems = result.problems.map((p) => `entry ${p.seq}: ${p.problem}`).join('\n');
        process.stdout.write(result.ok ? `ok: ${result.entries} entries, head ${result.headHash}\n` : `${problems}\n`);
      }
      if (!result.ok) process.exitCode = 1;
    },
  },
};
