/**
 * `kyoyu`: the command line for tenant admins, members and platform operators. It speaks only HTTP to a Kyoyu
 * endpoint (the admin API and TAXII 2.1), so it works the same against `npm start` and AWS. Node built-ins only.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { createHash } from 'node:crypto';
import { basename, dirname, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_RETRIES, withRetryAfter } from './retry-after';

class CliError extends Error {}

// ---------- profiles ----------

interface Profile {
  endpoint: string;
  username?: string;
  password?: string;
  key?: string;
  tenant?: string;
}
interface ProfileFile {
  current?: string;
  profiles: Record<string, Profile>;
}

const configPath = (): string => process.env.KYOYU_CONFIG ?? join(homedir(), '.config', 'kyoyu', 'profiles.json');

function readProfiles(): ProfileFile {
  const path = configPath();
  if (!existsSync(path)) return { profiles: {} };
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ProfileFile;
  } catch {
    throw new CliError(`${path} is not valid JSON; fix or delete it`);
  }
}

function writeProfiles(file: ProfileFile): void {
  const path = configPath();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
}

// ---------- options ----------

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  profile: { type: 'string' },
  endpoint: { type: 'string' },
  user: { type: 'string' },
  password: { type: 'string' },
  key: { type: 'string' },
  tenant: { type: 'string' },
  member: { type: 'string', multiple: true },
  group: { type: 'string' },
  collection: { type: 'string' },
  'name-en': { type: 'string' },
  'name-ja': { type: 'string' },
  name: { type: 'string' },
  description: { type: 'string' },
  sector: { type: 'string' },
  tier: { type: 'string' },
  'secret-opt-in': { type: 'boolean' },
  role: { type: 'string' },
  status: { type: 'string' },
  expires: { type: 'string' },
  title: { type: 'string' },
  kind: { type: 'string' },
  'default-tlp': { type: 'string' },
  'tlp-ceiling': { type: 'string' },
  attribution: { type: 'string' },
  publication: { type: 'string' },
  'min-confidence': { type: 'string' },
  'allowed-types': { type: 'string' },
  'custom-properties': { type: 'string' },
  read: { type: 'boolean' },
  write: { type: 'boolean' },
  clearance: { type: 'string' },
  samples: { type: 'boolean' },
  names: { type: 'string' },
  domains: { type: 'string' },
  'email-domains': { type: 'string' },
  'ip-ranges': { type: 'string' },
  brands: { type: 'string' },
  'internal-host-suffixes': { type: 'string' },
  'reference-prefixes': { type: 'string' },
  'proposed-at': { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  /** The audit chain: main (what members and admins did) or auth (refused credentials). */
  log: { type: 'string' },
  limit: { type: 'string' },
  wait: { type: 'string' },
  'requests-per-minute': { type: 'string' },
  'storage-quota-bytes': { type: 'string' },
  tlp: { type: 'string' },
  'media-type': { type: 'string' },
  malware: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  force: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

interface Context {
  values: Values;
  args: string[];
  json: boolean;
}

// ---------- HTTP ----------

interface Connection {
  endpoint: string;
  authorization: string;
  profile: Profile;
}

function connection(values: Values): Connection {
  const file = readProfiles();
  const name = values.profile ?? process.env.KYOYU_PROFILE ?? file.current ?? 'default';
  const stored = file.profiles[name];
  const endpoint = values.endpoint ?? stored?.endpoint;
  if (!endpoint) throw new CliError(`No endpoint: run \`kyoyu profile set ${name} --endpoint URL --user NAME --password SECRET\` or pass --endpoint`);
  const profile: Profile = {
    endpoint,
    username: values.user ?? stored?.username,
    password: values.password ?? stored?.password,
    key: values.key ?? stored?.key,
    tenant: values.tenant ?? stored?.tenant,
  };
  let authorization: string;
  if (values.key ?? (values.user ? undefined : profile.key)) authorization = `Bearer ${values.key ?? profile.key}`;
  else if (profile.username && profile.password !== undefined) authorization = `Basic ${Buffer.from(`${profile.username}:${profile.password}`).toString('base64')}`;
  else throw new CliError(`Profile ${name} has no credentials: set --user and --password, or --key`);
  return { endpoint: endpoint.replace(/\/+$/, ''), authorization, profile };
}

async function request<T>(conn: Connection, method: string, path: string, body?: unknown, taxii = false, contentType?: string): Promise<T> {
  const mediaType = taxii ? 'application/taxii+json;version=2.1' : 'application/json';
  let response: Response;
  try {
    response = await withRetryAfter(
      () =>
        fetch(`${conn.endpoint}${path}`, {
          method,
          headers: { Authorization: conn.authorization, Accept: mediaType, ...(body === undefined ? {} : { 'Content-Type': contentType ?? mediaType }) },
          body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        }),
      { onWait: (seconds, retry) => process.stderr.write(`kyoyu: ${method} ${path}: 429 Too Many Requests; retry ${retry} of ${MAX_RETRIES} in ${seconds} s\n`) },
    );
  } catch (error) {
    throw new CliError(`Cannot reach ${conn.endpoint}: ${error instanceof Error ? (error.cause as Error | undefined)?.message ?? error.message : String(error)}`);
  }
  return answerOf<T>(response, method, path);
}

/** The JSON of an answer, or the CliError its error message describes. `expected` adds statuses that are not errors. */
async function answerOf<T>(response: Response, method: string, path: string, expected: number[] = []): Promise<T> {
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (!response.ok && !expected.includes(response.status)) {
    const description = (parsed as { description?: string } | undefined)?.description ?? (typeof parsed === 'string' ? parsed : '');
    throw new CliError(`${method} ${path}: ${response.status} ${description}`.trim());
  }
  return parsed as T;
}

const api = <T = Record<string, unknown>>(conn: Connection, method: string, path: string, body?: unknown) => request<T>(conn, method, path, body);

// ---------- output ----------

type Row = Record<string, unknown>;

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(cell).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Width in terminal columns: CJK characters take two. */
const width = (text: string): number => [...text].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);

function table(rows: Row[], columns: string[]): string {
  const cells = rows.map((row) => columns.map((c) => cell(c.split('.').reduce<unknown>((v, k) => (v as Row | undefined)?.[k], row))));
  const widths = columns.map((c, i) => Math.max(width(c), ...cells.map((r) => width(r[i]!))));
  const line = (values: string[]) => values.map((v, i) => v + ' '.repeat(widths[i]! - width(v))).join('  ').trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n');
}

function print(ctx: Context, value: unknown, columns?: string[]): void {
  if (ctx.json) return void process.stdout.write(JSON.stringify(value, null, 2) + '\n');
  if (Array.isArray(value) && columns) return void process.stdout.write((value.length ? table(value as Row[], columns) : '(none)') + '\n');
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Row);
    const keyWidth = Math.max(...entries.map(([k]) => k.length));
    return void process.stdout.write(entries.map(([k, v]) => `${k.padEnd(keyWidth)}  ${cell(v)}`).join('\n') + '\n');
  }
  process.stdout.write(`${cell(value)}\n`);
}

// ---------- helpers ----------

const list = (value: string | undefined): string[] | undefined => (value === undefined ? undefined : value.split(',').map((v) => v.trim()).filter(Boolean));
const int = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new CliError(`--${name} must be an integer, got ${value}`);
  return n;
};
function defined(object: Row): Row {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}
function arg(ctx: Context, index: number, what: string): string {
  const value = ctx.args[index];
  if (!value) throw new CliError(`Missing ${what}; see --help`);
  return value;
}
function one(values: string[] | undefined, what: string): string {
  const value = values?.[0];
  if (!value) throw new CliError(`Missing --${what}; see --help`);
  return value;
}

async function tenantOf(ctx: Context, conn: Connection): Promise<string> {
  if (conn.profile.tenant) return conn.profile.tenant;
  const me = await api<{ tenant?: { id: string } }>(conn, 'GET', '/admin/whoami');
  if (!me.tenant) throw new CliError('Operators must name the tenant: --tenant ID (or set it in the profile)');
  return me.tenant.id;
}

async function tenantPath(ctx: Context, conn: Connection): Promise<string> {
  return `/admin/tenants/${encodeURIComponent(await tenantOf(ctx, conn))}`;
}

const memberPath = async (ctx: Context, conn: Connection) => `${await tenantPath(ctx, conn)}/members/${encodeURIComponent(one(ctx.values.member, 'member'))}`;

/** A collection by id or by title, among those the caller sees over TAXII. */
async function collectionId(conn: Connection, tenant: string, ref: string): Promise<string> {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(ref)) return ref;
  const { collections = [] } = await request<{ collections?: Array<{ id: string; title: string }> }>(conn, 'GET', `/${tenant}/collections/`, undefined, true);
  const found = collections.find((c) => c.title === ref);
  if (!found) throw new CliError(`No collection titled "${ref}" visible to you in ${tenant}`);
  return found.id;
}

function grantee(values: Values): Row {
  if (values.group) return { kind: 'group', groupId: values.group };
  return { kind: 'member', memberId: one(values.member, 'member or --group') };
}

// ---------- commands ----------

interface Command {
  usage: string;
  help: string;
  run: (ctx: Context) => Promise<void>;
}

const TENANT_COLUMNS = ['id', 'nameEn', 'nameJa', 'status', 'requestsPerMinute', 'storageQuotaBytes', 'identityId'];
const MEMBER_COLUMNS = ['id', 'nameEn', 'nameJa', 'sector', 'tier', 'status', 'secretOptIn'];
const USER_COLUMNS = ['username', 'role', 'status', 'expiresAt'];
const KEY_COLUMNS = ['id', 'name', 'role', 'status', 'createdAt', 'expiresAt'];
const GROUP_COLUMNS = ['id', 'title', 'kind', 'memberIds', 'member'];
const COLLECTION_COLUMNS = ['id', 'title', 'defaultTlp', 'policy.tlpCeiling', 'policy.attribution', 'publication'];
const GRANT_COLUMNS = ['collectionId', 'grantee.kind', 'grantee.memberId', 'grantee.groupId', 'read', 'write', 'clearance'];
const AUDIT_COLUMNS = ['seq', 'at', 'actor.username', 'memberId', 'action', 'target.id', 'details'];

const memberFields = (v: Values) =>
  defined({ nameEn: v['name-en'], nameJa: v['name-ja'], sector: v.sector, tier: int('tier', v.tier), secretOptIn: v['secret-opt-in'] });

function collectionFields(v: Values): Row {
  const policy = defined({
    tlpCeiling: v['tlp-ceiling'],
    attribution: v.attribution,
    minConfidence: int('min-confidence', v['min-confidence']),
    allowedTypes: list(v['allowed-types']),
    customProperties: list(v['custom-properties']),
  });
  return defined({ title: v.title, description: v.description, defaultTlp: v['default-tlp'], publication: v.publication, policy: Object.keys(policy).length ? policy : undefined });
}

const COMMANDS: Record<string, Record<string, Command>> = {
  profile: {
    set: {
      usage: 'profile set NAME --endpoint URL (--user NAME --password SECRET | --key KEY) [--tenant ID]',
      help: 'Store an endpoint and credentials under NAME and make it the current profile.',
      run: async (ctx) => {
        const name = arg(ctx, 0, 'profile name');
        const file = readProfiles();
        const v = ctx.values;
        const merged = { ...file.profiles[name], ...defined({ endpoint: v.endpoint, username: v.user, password: v.password, key: v.key, tenant: v.tenant }) } as Profile;
        if (!merged.endpoint) throw new CliError('Missing --endpoint');
        file.profiles[name] = merged;
        file.current = name;
        writeProfiles(file);
        print(ctx, { profile: name, endpoint: merged.endpoint, file: configPath() });
      },
    },
    list: {
      usage: 'profile list',
      help: 'List the stored profiles (secrets hidden).',
      run: async (ctx) => {
        const file = readProfiles();
        const rows = Object.entries(file.profiles).map(([name, p]) => ({ current: name === file.current ? '*' : '', name, endpoint: p.endpoint, user: p.username ?? (p.key ? p.key.slice(0, 20) : ''), tenant: p.tenant }));
        print(ctx, rows, ['current', 'name', 'endpoint', 'user', 'tenant']);
      },
    },
    use: {
      usage: 'profile use NAME',
      help: 'Make NAME the current profile.',
      run: async (ctx) => {
        const name = arg(ctx, 0, 'profile name');
        const file = readProfiles();
        if (!file.profiles[name]) throw new CliError(`No profile ${name} in ${configPath()}`);
        writeProfiles({ ...file, current: name });
        print(ctx, { current: name });
      },
    },
  },
  tenant: {
    list: { usage: 'tenant list', help: 'Tenants you may see (operators: all).', run: async (ctx) => print(ctx, (await api<{ tenants: Row[] }>(connection(ctx.values), 'GET', '/admin/tenants')).tenants, TENANT_COLUMNS) },
    get: { usage: 'tenant get [ID]', help: 'One tenant with its STIX identity.', run: async (ctx) => { const c = connection(ctx.values); print(ctx, await api(c, 'GET', `/admin/tenants/${ctx.args[0] ?? (await tenantOf(ctx, c))}`)); } },
    create: {
      usage: 'tenant create ID --name-en NAME --name-ja NAME [--description TEXT]',
      help: 'Create a tenant (operators).',
      run: async (ctx) => print(ctx, await api(connection(ctx.values), 'POST', '/admin/tenants', defined({ id: arg(ctx, 0, 'tenant id'), nameEn: ctx.values['name-en'], nameJa: ctx.values['name-ja'], description: ctx.values.description }))),
    },
    update: {
      usage: 'tenant update ID [--name-en NAME] [--name-ja NAME] [--description TEXT] [--requests-per-minute N|default] [--storage-quota-bytes N|default]',
      help: "Rename or describe a tenant; operators set its TAXII request limit and its storage quota for attachments and samples (`default`: the platform's).",
      run: async (ctx) => {
        const v = ctx.values;
        const limit = (name: 'requests-per-minute' | 'storage-quota-bytes') => (v[name] === 'default' ? null : int(name, v[name]));
        print(
          ctx,
          await api(connection(v), 'PATCH', `/admin/tenants/${arg(ctx, 0, 'tenant id')}`, defined({
            nameEn: v['name-en'],
            nameJa: v['name-ja'],
            description: v.description,
            requestsPerMinute: limit('requests-per-minute'),
            storageQuotaBytes: limit('storage-quota-bytes'),
          })),
        );
      },
    },
    suspend: { usage: 'tenant suspend ID', help: 'Suspend a tenant: its credentials stop working (operators).', run: async (ctx) => print(ctx, await api(connection(ctx.values), 'PATCH', `/admin/tenants/${arg(ctx, 0, 'tenant id')}`, { status: 'suspended' })) },
    resume: { usage: 'tenant resume ID', help: 'Resume a suspended tenant (operators).', run: async (ctx) => print(ctx, await api(connection(ctx.values), 'PATCH', `/admin/tenants/${arg(ctx, 0, 'tenant id')}`, { status: 'active' })) },
    delete: { usage: 'tenant delete ID', help: 'Delete a tenant for good; its id is never reused (operators).', run: async (ctx) => (await api(connection(ctx.values), 'DELETE', `/admin/tenants/${arg(ctx, 0, 'tenant id')}`), print(ctx, { deleted: ctx.args[0] })) },
  },
  member: {
    list: { usage: 'member list [--tenant ID]', help: 'Members of the tenant.', run: async (ctx) => { const c = connection(ctx.values); print(ctx, (await api<{ members: Row[] }>(c, 'GET', `${await tenantPath(ctx, c)}/members`)).members, MEMBER_COLUMNS); } },
    get: { usage: 'member get ID', help: 'One member.', run: async (ctx) => { const c = connection(ctx.values); print(ctx, await api(c, 'GET', `${await tenantPath(ctx, c)}/members/${arg(ctx, 0, 'member id')}`)); } },
    create: {
      usage: 'member create ID --name-en NAME --name-ja NAME [--sector S] [--tier N] [--secret-opt-in]',
      help: 'Add a member organisation.',
      run: async (ctx) => { const c = connection(ctx.values); print(ctx, await api(c, 'POST', `${await tenantPath(ctx, c)}/members`, { id: arg(ctx, 0, 'member id'), ...memberFields(ctx.values) })); },
    },
    update: {
      usage: 'member update ID [--name-en NAME] [--name-ja NAME] [--sector S] [--tier N] [--secret-opt-in]',
      help: 'Change a member.',
      run: async (ctx) => { const c = connection(ctx.values); print(ctx, await api(c, 'PATCH', `${await tenantPath(ctx, c)}/members/${arg(ctx, 0, 'member id')}`, memberFields(ctx.values))); },
    },
    ...Object.fromEntries(
      (['suspend', 'resume', 'expel'] as const).map((verb) => [
        verb,
        {
          usage: `member ${verb} ID`,
          help: verb === 'resume' ? 'Make a member active again.' : `${verb === 'expel' ? 'Expel' : 'Suspend'} a member: its users and keys stop working on their next request.`,
          run: async (ctx: Context) => {
            const c = connection(ctx.values);
            const status = { suspend: 'suspended', resume: 'active', expel: 'expelled' }[verb];
            print(ctx, await api(c, 'PATCH', `${await tenantPath(ctx, c)}/members/${arg(ctx, 0, 'member id')}`, { status }));
          },
        },
      ]),
    ),
  },
  user: {
    list: { usage: 'user list --member M', help: 'Users of a member.', run: async (ctx) => { const c = connection(ctx.values); print(ctx, (await api<{ users: Row[] }>(c, 'GET', `${await memberPath(ctx, c)}/users`)).users, USER_COLUMNS); } },
    create: {
      usage: 'user create USERNAME --member M --role ROLE [--expires ISO-TIME]',
      help: 'Create a user; its password is printed once. Roles: tenant-admin, moderator, analyst, reader, submit-only.',
      run: async (ctx) => { const c = connection(ctx.values); print(ctx, await api(c, 'POST', `${await memberPath(ctx, c)}/users`, defined({ username: arg(ctx, 0, 'username'), role: ctx.values.role, expiresAt: ctx.values.expires }))); },
    },
    update: {
      usage: 'user update USERNAME --member M [--role ROLE] [--status active|suspended] [--expires ISO-TIME|never]',
      help: 'Change a user.',
      run: async (ctx) => {
        const c = connection(ctx.values);
        const v = ctx.values;
        print(ctx, await api(c, 'PATCH', `${await memberPath(ctx, c)}/users/${arg(ctx, 0, 'username')}`, defined({ role: v.role, status: v.status, expiresAt: v.expires === 'never' ? null : v.expires })));
      },
    },
    rotate: { usage: 'user rotate USERNAME --member M', help: 'Issue a new password (printed once); the old one stops working.', run: async (ctx) => { const c = connection(ctx.values); print(ctx, await api(c, 'POST', `${await memberPath(ctx, c)}/users/${arg(ctx, 0, 'username')}/rotate`, defined({ expiresAt: ctx.values.expires }))); } },
    delete: { usage: 'user delete USERNAME --member M', help: 'Delete a user.', run: async (ctx) => { const c = connection(ctx.values); await api(c, 'DELETE', `${await memberPath(ctx, c)}/users/${arg(ctx, 0, 'username')}`); print(ctx, { deleted: ctx.args[0] }); } },
  },
  key: {
    list: { usage: 'key list --member M', help: 'API keys of a member (never their secrets).', run: async (ctx) => { const c = connection(ctx.values); print(ctx, (await api<{ keys: Row[] }>(c, 'GET', `${await memberPath(ctx, c)}/keys`)).keys, KEY_COLUMNS); } },
    create: {
      usage: 'key create --member M --name NAME --role ROLE [--expires ISO-TIME]',
      help: 'Create an API key; the key is printed once. Use it as `Bearer <key>`, `Token <key>` or as the Basic password.',
      run: async (ctx) => { const c = connection(ctx.values); print(ctx, await api(c, 'POST', `${await memberPath(ctx, c)}/keys`, defined({ name: ctx.values.name, role: ctx.values.role, expiresAt: ctx.values.expires }))); },
    },
    update: {
      usage: 'key update ID --member M [--name NAME] [--role ROLE] [--status active|suspended] [--expires ISO-TIME|never]',
      help: 'Change an API key.',
      run: async (ctx) => {
        const c = connection(ctx.values);
        const v = ctx.values;
        print(ctx, await api(c, 'PATCH', `${await memberPath(ctx, c)}/keys/${arg(ctx, 0, 'key id')}`, defined({ name: v.name, role: v.role, status: v.status, expiresAt: v.expires === 'never' ? null : v.expires })));
      },
    },
    rotate: { usage: 'key rotate ID --member M', help: 'Issue a new secret for the key (printed once).', run: async (ctx) => { const c = connection(ctx.values); print(ctx, await api(c, 'POST', `${await memberPath(ctx, c)}/keys/${arg(ctx, 0, 'key id')}/rotate`, defined({ expiresAt: ctx.values.expires }))); } },
    revoke: { usage: 'key revoke ID --member M', help: 'Revoke an API key; it stops working on its next request.', run: async (ctx) => { const c = connection(ctx.values); await api(c, 'DELETE', `${await memberPath(ctx, c)}/keys/${arg(ctx, 0, 'key id')}`); print(ctx, { revoked: ctx.args[0] }); } },
  },
  group: {
    list: { usage: 'group list', help: 'Groups you may see (secret groups only if you are in them).', run: async (ctx) => { const c = connection(ctx.values); print(ctx, (await api<{ groups: Row[] }>(c, 'GET', `${await tenantPath(ctx, c)}/groups`)).groups, GROUP_COLUMNS); } },
    get: { usage: 'group get ID', help: 'One group.', run: async (ctx) => { const c = connection(ctx.values); print(ctx, await api(c, 'GET', `${await tenantPath(ctx, c)}/groups/${arg(ctx, 0, 'group id')}`)); } },
    create: {
      usage: 'group create ID --title TITLE --kind open|limited|private|secret [--member M …] [--description TEXT]',
      help: 'Create a group; a secret group is hidden from everyone outside it.',
      run: async (ctx) => { const c = connection(ctx.values); const v = ctx.values; print(ctx, await api(c, 'POST', `${await tenantPath(ctx, c)}/groups`, defined({ id: arg(ctx, 0, 'group id'), title: v.title, kind: v.kind, description: v.description, memberIds: v.member }))); },
    },
    delete: { usage: 'group delete ID', help: 'Delete a group and its grants.', run: async (ctx) => { const c = connection(ctx.values); await api(c, 'DELETE', `${await tenantPath(ctx, c)}/groups/${arg(ctx, 0, 'group id')}`); print(ctx, { deleted: ctx.args[0] }); } },
    'add-member': { usage: 'group add-member ID MEMBER', help: 'Add a member to a group.', run: async (ctx) => { const c = connection(ctx.values); print(ctx, await api(c, 'PUT', `${await tenantPath(ctx, c)}/groups/${arg(ctx, 0, 'group id')}/members/${arg(ctx, 1, 'member id')}`)); } },
    'remove-member': { usage: 'group remove-member ID MEMBER', help: 'Remove a member from a group.', run: async (ctx) => { const c = connection(ctx.values); print(ctx, await api(c, 'DELETE', `${await tenantPath(ctx, c)}/groups/${arg(ctx, 0, 'group id')}/members/${arg(ctx, 1, 'member id')}`)); } },
  },
  collection: {
    list: { usage: 'collection list', help: 'Collections with their policy.', run: async (ctx) => { const c = connection(ctx.values); print(ctx, (await api<{ collections: Row[] }>(c, 'GET', `${await tenantPath(ctx, c)}/collections`)).collections, COLLECTION_COLUMNS); } },
    get: { usage: 'collection get ID', help: 'One collection.', run: async (ctx) => { const c = connection(ctx.values); print(ctx, await api(c, 'GET', `${await tenantPath(ctx, c)}/collections/${arg(ctx, 0, 'collection id')}`)); } },
    create: {
      usage: 'collection create --title TITLE [--description TEXT] [--default-tlp TLP] [--tlp-ceiling TLP] [--attribution anonymous|attributed] [--publication auto|moderation] [--min-confidence N] [--allowed-types a,b] [--custom-properties x_mitre_*,x_name]',
      help: 'Create a collection (its id is a new UUIDv4).',
      run: async (ctx) => { const c = connection(ctx.values); print(ctx, await api(c, 'POST', `${await tenantPath(ctx, c)}/collections`, collectionFields(ctx.values))); },
    },
    update: {
      usage: 'collection update ID [the options of create]',
      help: 'Change a collection or its pipeline policy (only the options given).',
      run: async (ctx) => { const c = connection(ctx.values); print(ctx, await api(c, 'PATCH', `${await tenantPath(ctx, c)}/collections/${arg(ctx, 0, 'collection id')}`, collectionFields(ctx.values))); },
    },
  },
  grant: {
    list: {
      usage: 'grant list [--collection ID] [--member M] [--group G]',
      help: 'Grants of the tenant.',
      run: async (ctx) => {
        const c = connection(ctx.values);
        const query = new URLSearchParams(defined({ collection: ctx.values.collection, member: ctx.values.member?.[0], group: ctx.values.group }) as Record<string, string>);
        print(ctx, (await api<{ grants: Row[] }>(c, 'GET', `${await tenantPath(ctx, c)}/grants?${query}`)).grants, GRANT_COLUMNS);
      },
    },
    set: {
      usage: 'grant set --collection ID|TITLE (--member M | --group G) [--read] [--write] [--samples] --clearance TLP',
      help: 'Create or replace the grant of a member or group on a collection.',
      run: async (ctx) => {
        const c = connection(ctx.values);
        const tenant = await tenantOf(ctx, c);
        const v = ctx.values;
        const collection = await collectionId(c, tenant, v.collection ?? '');
        print(ctx, await api(c, 'PUT', `/admin/tenants/${tenant}/grants`, { collectionId: collection, grantee: grantee(v), read: v.read ?? false, write: v.write ?? false, clearance: v.clearance ?? 'green', samples: v.samples ?? false }));
      },
    },
    revoke: {
      usage: 'grant revoke --collection ID|TITLE (--member M | --group G)',
      help: 'Delete a grant.',
      run: async (ctx) => {
        const c = connection(ctx.values);
        const tenant = await tenantOf(ctx, c);
        const collection = await collectionId(c, tenant, ctx.values.collection ?? '');
        await api(c, 'DELETE', `/admin/tenants/${tenant}/grants`, { collectionId: collection, grantee: grantee(ctx.values) });
        print(ctx, { revoked: collection });
      },
    },
  },
  registry: {
    get: { usage: 'registry get --member M', help: "A member's identifier registry (the member and tenant admins only).", run: async (ctx) => { const c = connection(ctx.values); print(ctx, await api(c, 'GET', `${await memberPath(ctx, c)}/registry`)); } },
    set: {
      usage:
        'registry set --member M [--names a,b] [--domains a,b] [--email-domains a,b] [--ip-ranges a,b] [--brands a,b] [--internal-host-suffixes a,b] [--reference-prefixes a,b]',
      help: "Replace the lists given (the others stay as they are in the active registry). A tenant admin's change is active at once; a member's is a proposal until a tenant admin approves it.",
      run: async (ctx) => {
        const c = connection(ctx.values);
        const path = `${await memberPath(ctx, c)}/registry`;
        const { tenantId: _t, memberId: _m, pending: _p, ...current } = await api<Row>(c, 'GET', path);
        const v = ctx.values;
        const changes = defined({
          names: list(v.names),
          domains: list(v.domains),
          emailDomains: list(v['email-domains']),
          ipRanges: list(v['ip-ranges']),
          brands: list(v.brands),
          internalHostSuffixes: list(v['internal-host-suffixes']),
          referencePrefixes: list(v['reference-prefixes']),
        });
        print(ctx, await api(c, 'PUT', path, { ...current, ...changes }));
      },
    },
    approve: {
      usage: 'registry approve --member M [--proposed-at T]',
      help: "Make the member's pending registry change active (tenant admins); --proposed-at refuses if a newer proposal replaced that one.",
      run: async (ctx) => {
        const c = connection(ctx.values);
        print(ctx, await api(c, 'POST', `${await memberPath(ctx, c)}/registry/approve`, defined({ proposedAt: ctx.values['proposed-at'] })));
      },
    },
    reject: {
      usage: 'registry reject --member M [--proposed-at T]',
      help: "Discard the member's pending registry change (tenant admins).",
      run: async (ctx) => {
        const c = connection(ctx.values);
        print(ctx, await api(c, 'POST', `${await memberPath(ctx, c)}/registry/reject`, defined({ proposedAt: ctx.values['proposed-at'] })));
      },
    },
  },
  dlq: {
    list: {
      usage: 'dlq list STAGE',
      help: 'Messages that kept failing in a pipeline stage, with the last error (operators).',
      run: async (ctx) => {
        const c = connection(ctx.values);
        const stage = arg(ctx, 0, 'a stage (normalize, filter, dedupe, anonymize, commit)');
        const { messages } = await api<{ messages: Row[] }>(c, 'GET', `/admin/pipeline/${encodeURIComponent(stage)}/dead-letters`);
        print(ctx, messages, ['messageId', 'receiveCount', 'tenantId', 'statusId', 'objects', 'reason']);
      },
    },
    redrive: {
      usage: 'dlq redrive STAGE',
      help: "Send every message of a stage's dead-letter queue back to the stage (operators).",
      run: async (ctx) => {
        const c = connection(ctx.values);
        const stage = arg(ctx, 0, 'a stage (normalize, filter, dedupe, anonymize, commit)');
        print(ctx, await api(c, 'POST', `/admin/pipeline/${encodeURIComponent(stage)}/dead-letters/redrive`));
      },
    },
  },
  audit: {
    list: {
      usage: 'audit list [--since ISO] [--until ISO] [--member M] [--limit N] [--log main|auth]',
      help: "The tenant's audit log in time order (operators without --tenant: the platform log); --log auth: refused credentials.",
      run: async (ctx) => {
        const c = connection(ctx.values);
        const base = c.profile.tenant || !(await isOperator(c)) ? `${await tenantPath(ctx, c)}/audit` : '/admin/audit';
        const query = new URLSearchParams(
          defined({ since: ctx.values.since, until: ctx.values.until, member: ctx.values.member?.[0], limit: ctx.values.limit, log: ctx.values.log }) as Record<string, string>,
        );
        print(ctx, (await api<{ entries: Row[] }>(c, 'GET', `${base}?${query}`)).entries, AUDIT_COLUMNS);
      },
    },
    verify: {
      usage: 'audit verify [--log main|auth]',
      help: 'Verify the audit log (hashes, links, MACs, latest anchor); exits 1 if an entry was altered, removed, reordered or re-sealed, or the chain was cut back.',
      run: async (ctx) => {
        const c = connection(ctx.values);
        const base = c.profile.tenant || !(await isOperator(c)) ? `${await tenantPath(ctx, c)}/audit` : '/admin/audit';
        const log = ctx.values.log ? `?log=${encodeURIComponent(ctx.values.log)}` : '';
        const result = await api<{ ok: boolean; entries: number; headHash: string; problems: Row[] }>(c, 'GET', `${base}/verify${log}`);
        if (ctx.json) print(ctx, result);
        else process.stdout.write(result.ok ? `ok: ${result.entries} entries, head ${result.headHash}\n` : `${result.problems.map((p) => `entry ${p.seq}: ${p.problem}`).join('\n')}\n`);
        if (!result.ok) process.exitCode = 1;
      },
    },
  },
};

async function isOperator(conn: Connection): Promise<boolean> {
  return (await api<{ role: string }>(conn, 'GET', '/admin/whoami')).role === 'operator';
}

// ---------- ingest and status ----------

const CHUNK_OBJECTS = 500;
const CHUNK_BYTES = 3 * 1024 * 1024;

interface StatusResource {
  id: string;
  status: string;
  total_count: number;
  success_count: number;
  failure_count: number;
  pending_count: number;
  failures?: Array<{ id: string; message?: string }>;
}

function progress(done: number, total: number, label: string): void {
  if (!process.stderr.isTTY) return;
  const filled = total ? Math.round((done / total) * 30) : 30;
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${done}/${total} ${label}`);
  if (done === total) process.stderr.write('\n');
}

/** A file to share: STIX objects (a bundle or a TAXII envelope, STIX 2.0 or 2.1), or a plain list / CSV of indicators. */
type Shareable = { kind: 'stix'; objects: unknown[] } | { kind: 'list'; format: 'text/plain' | 'text/csv'; parts: string[] };

function shareableOf(file: string): Shareable {
  const text = readFileSync(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: one indicator per line, or CSV with a header (the pipeline refangs and recognises each value).
    const format = file.toLowerCase().endsWith('.csv') ? 'text/csv' : 'text/plain';
    const lines = text.split(/\r?\n/);
    const header = format === 'text/csv' ? lines.shift() ?? '' : undefined;
    const parts: string[] = [];
    for (let start = 0; start < lines.length; start += 20000) parts.push([...(header === undefined ? [] : [header]), ...lines.slice(start, start + 20000)].join('\n'));
    return { kind: 'list', format, parts };
  }
  const objects = (parsed as { objects?: unknown }).objects;
  if (!Array.isArray(objects)) throw new CliError(`${file}: neither a STIX bundle nor a TAXII envelope (no "objects" list)`);
  return { kind: 'stix', objects };
}

function chunks(objects: unknown[]): unknown[][] {
  const out: unknown[][] = [];
  let current: unknown[] = [];
  let bytes = 0;
  for (const object of objects) {
    const size = Buffer.byteLength(JSON.stringify(object));
    if (current.length && (current.length >= CHUNK_OBJECTS || bytes + size > CHUNK_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(object);
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

const ingest: Command = {
  usage: 'ingest FILE… --collection ID|TITLE [--wait SECONDS]',
  help: 'Share STIX bundles or TAXII envelopes (STIX 2.0 or 2.1), plain indicator lists (one value per line) or CSV (with a value column), then wait for the pipeline and summarise the TAXII statuses.',
  run: async (ctx) => {
    if (ctx.args.length === 0) throw new CliError('Missing FILE; see --help');
    const c = connection(ctx.values);
    const tenant = await tenantOf(ctx, c);
    const collection = await collectionId(c, tenant, ctx.values.collection ?? '');
    const files = ctx.args.map((file) => ({ file, content: shareableOf(file) }));
    const total = files.reduce((n, f) => n + (f.content.kind === 'stix' ? f.content.objects.length : f.content.parts.length), 0);
    const statusIds: string[] = [];
    let sent = 0;
    progress(0, total, 'sent');
    for (const { content } of files) {
      if (content.kind === 'list') {
        for (const part of content.parts) {
          const status = await request<StatusResource>(c, 'POST', `/${tenant}/collections/${collection}/indicators/`, part, true, content.format);
          statusIds.push(status.id);
          progress(++sent, total, 'sent');
        }
        continue;
      }
      for (const batch of chunks(content.objects)) {
        const status = await request<StatusResource>(c, 'POST', `/${tenant}/collections/${collection}/objects/`, { objects: batch }, true);
        statusIds.push(status.id);
        sent += batch.length;
        progress(sent, total, 'sent');
      }
    }
    const deadline = Date.now() + 1000 * Number(ctx.values.wait ?? 60);
    const statuses: StatusResource[] = [];
    for (const id of statusIds) {
      let status = await request<StatusResource>(c, 'GET', `/${tenant}/status/${id}/`, undefined, true);
      while (status.status !== 'complete' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        status = await request<StatusResource>(c, 'GET', `/${tenant}/status/${id}/`, undefined, true);
      }
      statuses.push(status);
    }
    const sum = (k: 'total_count' | 'success_count' | 'failure_count' | 'pending_count') => statuses.reduce((n, s) => n + s[k], 0);
    const summary = {
      files: files.length,
      collection,
      statuses: statusIds,
      total: sum('total_count'),
      succeeded: sum('success_count'),
      failed: sum('failure_count'),
      pending: sum('pending_count'),
      failures: statuses.flatMap((s) => s.failures ?? []).slice(0, 20),
    };
    if (ctx.json) print(ctx, summary);
    else {
      process.stdout.write(`${summary.total} objects in ${summary.files} file(s): ${summary.succeeded} succeeded, ${summary.failed} failed, ${summary.pending} pending\n`);
      for (const f of summary.failures) process.stdout.write(`  ${f.id}: ${f.message ?? ''}\n`);
    }
    if (summary.failed > 0 || summary.pending > 0) process.exitCode = 1;
  },
};

const status: Command = {
  usage: 'status',
  help: 'Who you are on which endpoint, and what you can reach there.',
  run: async (ctx) => {
    const c = connection(ctx.values);
    const me = await api<{ username: string; role: string; tenant?: { id: string; nameEn: string }; member?: { id: string } }>(c, 'GET', '/admin/whoami');
    const out: Row = { endpoint: c.endpoint, username: me.username, role: me.role };
    if (me.tenant) {
      const { collections = [] } = await request<{ collections?: Array<{ title: string; can_read: boolean; can_write: boolean }> }>(c, 'GET', `/${me.tenant.id}/collections/`, undefined, true);
      Object.assign(out, { tenant: me.tenant.id, member: me.member?.id, api_root: `${c.endpoint}/${me.tenant.id}/`, collections: collections.map((x) => `${x.title} (${[x.can_read && 'read', x.can_write && 'write'].filter(Boolean).join('+')})`) });
    } else {
      out.tenants = (await api<{ tenants: Array<{ id: string }> }>(c, 'GET', '/admin/tenants')).tenants.map((t) => t.id);
    }
    print(ctx, out);
  },
};

// ---------- main ----------

const stats: Command = {
  usage: 'stats [TENANT]',
  help: "The pipeline funnel of a tenant: per stage, objects received, forwarded, dropped (with reasons), failed, committed.",
  run: async (ctx) => {
    const c = connection(ctx.values);
    const tenant = ctx.args[0] ?? (await tenantOf(ctx, c));
    const { stages } = await api<{ stages: Array<{ stage: string; counts: Row; droppedBy: Record<string, number>; registry?: Record<string, { withheld: number; redacted: number }> }> }>(c, 'GET', `/admin/tenants/${encodeURIComponent(tenant)}/stats`);
    if (ctx.json) return print(ctx, stages);
    const registry = (s: (typeof stages)[number]) => Object.entries(s.registry ?? {}).map(([member, e]) => `${member}: ${e.withheld} withheld, ${e.redacted} redacted`).join('; ');
    print(ctx, stages.map((s) => ({ stage: s.stage, ...s.counts, 'dropped by': Object.entries(s.droppedBy).map(([reason, n]) => `${reason}: ${n}`).join('; '), 'by registry': registry(s) })), ['stage', 'received', 'forwarded', 'dropped', 'failed', 'committed', 'dropped by', 'by registry']);
  },
};

// ---------- attachments and samples ----------

const MEDIA_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  csv: 'text/csv',
  txt: 'text/plain',
  json: 'application/json',
  xml: 'application/xml',
  eml: 'message/rfc822',
  pcap: 'application/vnd.tcpdump.pcap',
  zip: 'application/zip',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
};
const mediaTypeOf = (file: string): string => MEDIA_TYPES[extname(file).slice(1).toLowerCase()] ?? 'application/octet-stream';
const sha256Of = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

interface UploadSlot {
  id: string;
  upload: { url?: string; headers?: Record<string, string>; part_size?: number; parts?: Array<{ part_number: number; url: string }> };
}

async function putBytes(url: string, data: Uint8Array, headers: Record<string, string> = {}): Promise<Response> {
  const response = await fetch(url, { method: 'PUT', body: data, headers });
  if (!response.ok) throw new CliError(`Upload to storage failed: ${response.status} ${(await response.text()).slice(0, 300)}`);
  return response;
}

/** Where files of a kind live in a collection the caller names by id or title. */
async function filesPath(ctx: Context, c: Connection, kind: 'attachments' | 'samples'): Promise<string> {
  const tenant = await tenantOf(ctx, c);
  return `/${tenant}/collections/${await collectionId(c, tenant, ctx.values.collection ?? '')}/${kind}/`;
}

/** Slot, upload straight to storage (in parts when the slot says so), complete: the API verifies and shares. */
async function shareFile(ctx: Context, kind: 'attachments' | 'samples'): Promise<void> {
  const file = arg(ctx, 0, 'FILE');
  if (kind === 'samples' && !ctx.values.malware) throw new CliError('Samples are shared only with --malware, declaring that the file is malware; share documents with `kyoyu attachment share`');
  const data = new Uint8Array(readFileSync(file));
  const c = connection(ctx.values);
  const base = await filesPath(ctx, c, kind);
  const slot = await api<UploadSlot>(c, 'POST', base, defined({
    file_name: basename(file),
    size: data.length,
    sha256: sha256Of(data),
    media_type: kind === 'attachments' ? (ctx.values['media-type'] ?? mediaTypeOf(file)) : undefined,
    tlp: ctx.values.tlp,
    malware: kind === 'samples' ? true : undefined,
  }));
  let parts: Array<{ part_number: number; etag: string }> | undefined;
  if (slot.upload.parts) {
    const size = slot.upload.part_size!;
    parts = [];
    for (const part of slot.upload.parts) {
      const answered = await putBytes(part.url, data.subarray((part.part_number - 1) * size, part.part_number * size));
      parts.push({ part_number: part.part_number, etag: answered.headers.get('etag') ?? '' });
      progress(part.part_number, slot.upload.parts.length, 'parts');
    }
  } else {
    await putBytes(slot.upload.url!, data, slot.upload.headers);
  }
  const shared = await api<Row>(c, 'POST', `${base}${slot.id}/complete/`, parts ? { parts } : {});
  print(ctx, ctx.json ? shared : { id: shared.id, file_name: shared.file_name, size: shared.size, sha256: shared.sha256, tlp: shared.tlp, url: shared.url, stix_ids: shared.stix_ids });
}

/** The API answers 303 with a short-lived storage URL; the file is fetched from there and checked against its hash. */
async function getFile(ctx: Context, kind: 'attachments' | 'samples'): Promise<void> {
  const id = arg(ctx, 0, 'file id');
  const c = connection(ctx.values);
  const path = `${await filesPath(ctx, c, kind)}${encodeURIComponent(id)}/content/`;
  let located: Response;
  try {
    located = await fetch(`${c.endpoint}${path}`, { headers: { Authorization: c.authorization, Accept: 'application/json' }, redirect: 'manual' });
  } catch (error) {
    throw new CliError(`Cannot reach ${c.endpoint}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const download = await answerOf<{ url: string; file: { file_name: string; sha256: string; zip?: { sha256: string } } }>(located, 'GET', path, [303]);
  const fetched = await fetch(download.url);
  if (!fetched.ok) throw new CliError(`Download from storage failed: ${fetched.status}`);
  const data = new Uint8Array(await fetched.arrayBuffer());
  const expected = kind === 'samples' ? download.file.zip!.sha256 : download.file.sha256;
  if (sha256Of(data) !== expected) throw new CliError(`The download's SHA-256 is ${sha256Of(data)}, not ${expected}; nothing was saved`);
  const output = ctx.values.output ?? (kind === 'samples' ? `${download.file.sha256}.zip` : download.file.file_name);
  writeFileSync(output, data, { flag: ctx.values.force ? 'w' : 'wx' });
  print(ctx, { saved: output, size: data.length, sha256: expected, ...(kind === 'samples' ? { password: 'infected' } : {}) });
}

const sampleRecipient = (granted: boolean) => async (ctx: Context) => {
  const c = connection(ctx.values);
  const path = `${await filesPath(ctx, c, 'samples')}${encodeURIComponent(arg(ctx, 0, 'sample id'))}/recipients/${encodeURIComponent(one(ctx.values.member, 'member'))}/`;
  const answer = await api<{ id: string; recipients: string[] }>(c, granted ? 'PUT' : 'DELETE', path);
  print(ctx, { sample: answer.id, recipients: answer.recipients });
};

const FILE_OPTIONS = '--collection ID|TITLE';
COMMANDS.attachment = {
  share: {
    usage: `attachment share FILE ${FILE_OPTIONS} [--tlp TLP] [--media-type TYPE]`,
    help: 'Upload a report or other file next to the STIX objects; it is verified, then shared as an artifact.',
    run: (ctx) => shareFile(ctx, 'attachments'),
  },
  get: {
    usage: `attachment get ID ${FILE_OPTIONS} [--output PATH] [--force]`,
    help: 'Download an attachment (checked against its SHA-256) under its name, or PATH.',
    run: (ctx) => getFile(ctx, 'attachments'),
  },
};
COMMANDS.sample = {
  share: {
    usage: `sample share FILE ${FILE_OPTIONS} --malware [--tlp TLP]`,
    help: 'Submit a malware sample through the dedicated intake: stored only as an AES zip (password "infected"), shared by its hashes.',
    run: (ctx) => shareFile(ctx, 'samples'),
  },
  get: {
    usage: `sample get ID ${FILE_OPTIONS} [--output PATH] [--force]`,
    help: 'Download a sample you are a recipient of, as <sha256>.zip (password "infected").',
    run: (ctx) => getFile(ctx, 'samples'),
  },
  grant: { usage: `sample grant ID ${FILE_OPTIONS} --member M`, help: 'Let one member download this sample (its provider, moderators, the tenant admin).', run: sampleRecipient(true) },
  revoke: { usage: `sample revoke ID ${FILE_OPTIONS} --member M`, help: "Withdraw a member's grant on this sample.", run: sampleRecipient(false) },
};

const TOP: Record<string, Command> = { ingest, status, stats };

function helpText(group?: string): string {
  const lines = ['Usage: kyoyu COMMAND [options]   (--json for scripts, --profile NAME, --help on every command)', ''];
  const groups = group ? [group] : Object.keys(COMMANDS);
  if (!group) for (const cmd of Object.values(TOP)) lines.push(`  kyoyu ${cmd.usage}`, `      ${cmd.help}`);
  for (const g of groups) for (const cmd of Object.values(COMMANDS[g] ?? {})) lines.push(`  kyoyu ${cmd.usage}`, `      ${cmd.help}`);
  if (!group) lines.push('', `Profiles: ${configPath()} (KYOYU_CONFIG overrides); --endpoint, --user, --password, --key, --tenant override the profile.`);
  return lines.join('\n') + '\n';
}

/**
 * Joins each string option to the value after it (`--password -x1` → `--password=-x1`): a generated password may
 * start with "-", which parseArgs would otherwise refuse as ambiguous.
 */
export function attachOptionValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.startsWith('--') ? arg.slice(2) : arg === '-o' ? 'output' : undefined;
    const option = name !== undefined && !name.includes('=') ? (OPTIONS as Record<string, { type: string }>)[name] : undefined;
    if (option?.type === 'string' && i + 1 < argv.length) out.push(`--${name}=${argv[++i]!}`);
    else out.push(arg);
  }
  return out;
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: attachOptionValues(argv), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  const [first, second, ...rest] = parsed.positionals;
  const values = parsed.values;
  if (!first) return process.stdout.write(helpText()), values.help ? 0 : 1;
  const top = TOP[first];
  const group = COMMANDS[first];
  const command = top ?? group?.[second ?? ''];
  if (!command) {
    if (group && (values.help || !second)) return process.stdout.write(helpText(first)), values.help ? 0 : 1;
    throw new CliError(group ? `Unknown command: ${first} ${second}; see kyoyu ${first} --help` : `Unknown command: ${first}; see kyoyu --help`);
  }
  if (values.help) return process.stdout.write(`Usage: kyoyu ${command.usage}\n${command.help}\n`), 0;
  await command.run({ values, args: top ? parsed.positionals.slice(1) : rest, json: values.json ?? false });
  return Number(process.exitCode ?? 0);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`kyoyu: ${error instanceof CliError ? error.message : error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof CliError ? 1 : 2);
  },
);
