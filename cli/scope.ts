/** Which tenant, member and collection a command acts on: from the options, the profile, or who the caller is. */
import type { Context } from './command';
import { one } from './command';
import type { Connection } from './connection';
import { CliError } from './errors';

export async function tenantOf(conn: Connection): Promise<string> {
  if (conn.profile.tenant) return conn.profile.tenant;
  const me = await conn.api<{ tenant?: { id: string } }>('GET', '/admin/whoami');
  if (!me.tenant) throw new CliError('Operators must name the tenant: --tenant ID (or set it in the profile)');
  return me.tenant.id;
}

export const tenantPath = async (conn: Connection): Promise<string> => `/admin/tenants/${encodeURIComponent(await tenantOf(conn))}`;

export const memberPath = async (ctx: Context, conn: Connection): Promise<string> =>
  `${await tenantPath(conn)}/members/${encodeURIComponent(one(ctx.values.member, 'member'))}`;

export async function isOperator(conn: Connection): Promise<boolean> {
  return (await conn.api<{ role: string }>('GET', '/admin/whoami')).role === 'operator';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A collection by id or by title, among those the caller sees over TAXII. */
export async function collectionId(conn: Connection, tenant: string, ref: string): Promise<string> {
  if (UUID.test(ref)) return ref;
  const { collections = [] } = await conn.taxii<{ collections?: Array<{ id: string; title: string }> }>('GET', `/${tenant}/collections/`);
  const found = collections.find((c) => c.title === ref);
  if (!found) throw new CliError(`No collection titled "${ref}" visible to you in ${tenant}`);
  return found.id;
}
