import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSeededPlatform, type SeededPlatform } from '../support/platform';
import { indicator } from '../support/taxii-client';
import { cliRunner } from '../support/cli';

let env: SeededPlatform;
let dir: string;
/** Secrets the full setup printed, for the tests that follow it. */
const printed: { readerPassword?: string; key?: string } = {};

beforeAll(async () => {
  env = await startSeededPlatform('admin-cli');
  dir = mkdtempSync(join(tmpdir(), 'kyoyu-cli-'));
});
afterAll(async () => {
  await env?.platform.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const { kyoyu, kyoyuWith, ok, json } = cliRunner(() => dir);

describe('kyoyu CLI', () => {
  it('drives a full setup: tenant, members, users, collection, grants, registry, ingest, status, audit', async () => {
    const { username, password } = env.demo.operator!;
    await ok('profile', 'set', 'ops', '--endpoint', env.platform.url, '--user', username, '--password', password);
    await ok('tenant', 'create', 'rail-isac', '--name-en', 'Rail ISAC', '--name-ja', '鉄道ISAC');
    expect(await json<{ requestsPerMinute?: number }>('tenant', 'update', 'rail-isac', '--requests-per-minute', '12000')).toMatchObject({
      requestsPerMinute: 12000,
    });
    await ok(
      'member',
      'create',
      'secretariat',
      '--tenant',
      'rail-isac',
      '--name-en',
      'Secretariat',
      '--name-ja',
      '事務局',
      '--sector',
      'isac',
    );
    const admin = await json<{ password: string }>(
      'user',
      'create',
      'rail-admin',
      '--tenant',
      'rail-isac',
      '--member',
      'secretariat',
      '--role',
      'tenant-admin',
    );

    await ok('profile', 'set', 'rail', '--endpoint', env.platform.url, '--user', 'rail-admin', '--password', admin.password);
    await ok('member', 'create', 'east-rail', '--name-en', 'East Rail', '--name-ja', '東日本鉄道', '--sector', 'transport');
    await ok('member', 'create', 'west-rail', '--name-en', 'West Rail', '--name-ja', '西日本鉄道', '--sector', 'transport');
    const collection = await json<{ id: string }>(
      'collection',
      'create',
      '--title',
      'Rail indicators',
      '--default-tlp',
      'green',
      '--tlp-ceiling',
      'amber',
      '--publication',
      'auto',
    );
    await ok('grant', 'set', '--collection', collection.id, '--member', 'east-rail', '--read', '--write', '--clearance', 'amber');
    await ok('grant', 'set', '--collection', collection.id, '--member', 'west-rail', '--read', '--clearance', 'green');
    await ok('registry', 'set', '--member', 'east-rail', '--names', '東日本鉄道,East Rail', '--domains', 'east-rail.example');
    const key = await json<{ secret: string }>('key', 'create', '--member', 'east-rail', '--name', 'feeder', '--role', 'analyst');
    const reader = await json<{ password: string }>('user', 'create', 'west-soc', '--member', 'west-rail', '--role', 'reader');
    Object.assign(printed, { readerPassword: reader.password, key: key.secret });

    await ok('profile', 'set', 'east', '--endpoint', env.platform.url, '--key', key.secret);
    const bundle = join(dir, 'bundle.json');
    writeFileSync(
      bundle,
      JSON.stringify({ type: 'bundle', id: 'bundle--0d7b3f0e-5b7c-4c55-9a0e-7f6a1c0c2b11', objects: [indicator(), indicator()] }),
    );
    const envelope = join(dir, 'envelope.json');
    writeFileSync(envelope, JSON.stringify({ objects: [indicator()] }));
    const ingested = await kyoyu('ingest', bundle, envelope, '--collection', 'Rail indicators');

    expect(ingested.code).toBe(0);
    expect(ingested.stdout).toBe('3 objects in 2 file(s): 3 succeeded, 0 failed, 0 pending\n');
    const list = join(dir, 'iocs.txt');
    writeFileSync(list, 'update-rail[.]example-c2.net\n10.1.2.3\n');
    const listed = await kyoyu('ingest', list, '--collection', 'Rail indicators');
    expect(listed.code).toBe(1); // one value was filtered, so not everything succeeded
    expect(listed.stdout).toMatch(
      /^2 objects in 1 file\(s\): 1 succeeded, 1 failed, 0 pending\n.*filter: value 10\.1\.2\.3 in warning list reserved-ipv4/s,
    );

    await ok('profile', 'set', 'west', '--endpoint', env.platform.url, '--user', 'west-soc', '--password', reader.password);
    const status = await json<{ tenant: string; member: string; role: string; collections: string[] }>('status');
    expect(status).toMatchObject({ tenant: 'rail-isac', member: 'west-rail', role: 'reader', collections: ['Rail indicators (read)'] });

    await ok('profile', 'use', 'rail');
    const grants = await ok('grant', 'list');
    expect(grants.split('\n')[0]).toMatch(/^COLLECTIONID\s+GRANTEE\.KIND\s+GRANTEE\.MEMBERID/);
    expect(grants).toContain('west-rail');
    const audit = await json<Array<{ action: string }>>('audit', 'list', '--limit', '1000');
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(['tenant.create', 'member.create', 'grant.create', 'registry.update', 'key.create', 'user.create']),
    );
    expect(await ok('audit', 'verify')).toMatch(/^ok: \d+ entries, head [0-9a-f]{64}\n$/);
    const stats =
      await json<Array<{ stage: string; counts: { received: number; committed: number }; droppedBy: Record<string, number> }>>('stats');
    expect(stats.map((s) => s.stage)).toEqual(['normalize', 'filter', 'dedupe', 'anonymize', 'commit']);
    expect(stats.find((s) => s.stage === 'commit')!.counts.committed).toBe(4);
    expect(stats.find((s) => s.stage === 'filter')!.droppedBy).toEqual({ 'warning list reserved-ipv4': 1 });
  }, 120000); // some forty CLI processes, each a Node start

  it('prints human-readable tables by default', async () => {
    await ok('profile', 'use', 'rail');
    const members = (await ok('member', 'list')).trimEnd().split('\n');
    expect(members[0]).toMatch(/^ID\s+NAMEEN\s+NAMEJA\s+SECTOR/);
    expect(members.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['east-rail', 'secretariat', 'west-rail']);
  });

  it("sends a member's registry change for review, and lets the tenant admin approve or reject it", async () => {
    type Registry = {
      names: string[];
      internalHostSuffixes: string[];
      referencePrefixes: string[];
      brands: string[];
      proposedAt: string;
      pending?: unknown;
    };
    const member = ['--member', 'east-rail'];

    const proposed = await json<Registry>(
      'registry',
      'set',
      ...member,
      '--internal-host-suffixes',
      'corp.east-rail.local',
      '--reference-prefixes',
      'ER-INC-',
      '--profile',
      'east',
    );
    expect(proposed).toMatchObject({
      names: ['東日本鉄道', 'East Rail'],
      internalHostSuffixes: ['corp.east-rail.local'],
      referencePrefixes: ['ER-INC-'],
      proposedBy: { role: 'analyst' },
    });
    expect((await json<Registry>('registry', 'get', ...member, '--profile', 'rail')).internalHostSuffixes).toEqual([]);
    const approved = await json<Registry>('registry', 'approve', ...member, '--proposed-at', proposed.proposedAt, '--profile', 'rail');
    expect(approved).toMatchObject({ internalHostSuffixes: ['corp.east-rail.local'], referencePrefixes: ['ER-INC-'] });

    await ok('registry', 'set', ...member, '--brands', 'EastLiner', '--profile', 'east');
    const rejected = await json<Registry>('registry', 'reject', ...member, '--profile', 'rail');
    expect(rejected).toMatchObject({ brands: [], internalHostSuffixes: ['corp.east-rail.local'] });
    expect(await json<Registry>('registry', 'get', ...member, '--profile', 'east')).not.toHaveProperty('pending');
    const poisoned = await kyoyu('registry', 'set', ...member, '--domains', 'co.jp', '--profile', 'rail');
    expect(poisoned).toMatchObject({ code: 1, stderr: expect.stringContaining('400 domains[0]: "co.jp" is a public suffix') });
  }, 60000);

  it('moderates from the terminal: the queue, a question and its answer, approval and rejection, takedowns, support', async () => {
    type Item = { itemId: string; objectId: string; state: string; question?: string };
    const moderated = await json<{ id: string }>(
      'collection',
      'create',
      '--title',
      'Rail moderated',
      '--default-tlp',
      'green',
      '--publication',
      'moderation',
      '--profile',
      'rail',
    );
    await ok(
      'grant',
      'set',
      '--collection',
      moderated.id,
      '--member',
      'east-rail',
      '--read',
      '--write',
      '--clearance',
      'amber',
      '--profile',
      'rail',
    );
    // Moderators moderate what they may read: the secretariat's grant decides which items it sees.
    await ok(
      'grant',
      'set',
      '--collection',
      moderated.id,
      '--member',
      'secretariat',
      '--read',
      '--clearance',
      'amber',
      '--profile',
      'rail',
    );
    const [first, second] = [indicator(), indicator()];
    const file = join(dir, 'moderated.json');
    writeFileSync(file, JSON.stringify({ objects: [first, second] }));

    const ingested = await kyoyu('ingest', file, '--collection', 'Rail moderated', '--profile', 'east');
    const queue = (await json<{ items: Item[] }>('moderation', 'list', '--collection', moderated.id, '--profile', 'rail')).items;
    const itemOf = (id: string) => queue.find((i) => i.objectId === id)!.itemId;
    await ok('moderation', 'return', itemOf(first.id), '--question', 'Which line?', '--profile', 'rail');
    const reviews = (await json<{ items: Item[] }>('review', 'list', '--profile', 'east')).items;
    const answered = await json<Item>('review', 'answer', itemOf(first.id), '--answer', 'The Tokaido line', '--profile', 'east');
    const approved = await json<Item>('moderation', 'approve', itemOf(first.id), '--profile', 'rail');
    const rejected = await json<Item>('moderation', 'reject', itemOf(second.id), '--reason', 'Duplicate', '--profile', 'rail');
    const unreasoned = await kyoyu('moderation', 'reject', itemOf(second.id), '--profile', 'rail');

    expect(ingested).toMatchObject({
      code: 0,
      stdout: '2 objects in 1 file(s): 0 succeeded, 0 failed, 2 pending (2 waiting for moderation)\n',
    });
    expect(queue.map((i) => i.objectId).sort()).toEqual([first.id, second.id].sort());
    expect(reviews).toContainEqual(expect.objectContaining({ objectId: first.id, state: 'returned', question: 'Which line?' }));
    expect([answered.state, approved.state, rejected.state]).toEqual(['queued', 'published', 'rejected']);
    expect(unreasoned).toMatchObject({ code: 1, stderr: expect.stringContaining('Missing --reason') });

    // A recipient asks for a takedown; the moderator revokes; the recipient reads the outcome.
    await ok('grant', 'set', '--collection', moderated.id, '--member', 'west-rail', '--read', '--clearance', 'green', '--profile', 'rail');
    type Request = { requestId: string; state: string; outcome?: { note?: string } };
    const asked = await json<Request>(
      'takedown',
      'request',
      '--collection',
      'Rail moderated',
      '--object',
      first.id,
      '--kind',
      'incorrect',
      '--details',
      'Wrong line',
      '--profile',
      'west',
    );
    const open = (await json<{ requests: Request[] }>('takedown', 'list', '--profile', 'rail')).requests;
    await ok('takedown', 'decide', asked.requestId, '--revoke', '--note', 'Withdrawn', '--profile', 'rail');
    const mine = (await json<{ requests: Request[] }>('takedown', 'mine', '--profile', 'west')).requests;
    // A member asks for analysis support; the moderator answers and closes the thread.
    const thread = await json<Request>('support', 'ask', '--subject', 'Loader', '--question', 'Is this Emotet?', '--profile', 'east');
    await ok('support', 'answer', thread.requestId, '--text', 'Yes', '--close', '--profile', 'rail');
    const shown = await json<{ state: string; messages: Array<{ from: string; text: string }> }>(
      'support',
      'show',
      thread.requestId,
      '--profile',
      'east',
    );

    expect(open.map((r) => r.requestId)).toContain(asked.requestId);
    expect(mine).toContainEqual(
      expect.objectContaining({ requestId: asked.requestId, state: 'revoked', outcome: expect.objectContaining({ note: 'Withdrawn' }) }),
    );
    expect(shown).toMatchObject({
      state: 'closed',
      messages: [
        { from: 'member', text: 'Is this Emotet?' },
        { from: 'moderator', text: 'Yes' },
      ],
    });
  }, 90000);

  it('fails with a one-line reason and a non-zero exit', async () => {
    const refused = await kyoyu('tenant', 'create', 'x-isac', '--name-en', 'X', '--name-ja', 'X', '--profile', 'rail');
    const ownLimit = await kyoyu('tenant', 'update', 'rail-isac', '--requests-per-minute', '99999', '--profile', 'rail');
    const unknown = await kyoyu('frobnicate');
    const badOption = await kyoyu('member', 'list', '--colour', 'red');
    const notStix = join(dir, 'settings.json');
    writeFileSync(notStix, JSON.stringify({ theme: 'dark' }));
    const wrongFile = await kyoyu('ingest', notStix, '--collection', 'Rail indicators', '--profile', 'east');

    expect(refused).toMatchObject({ code: 1, stderr: 'kyoyu: POST /admin/tenants: 403 Only platform operators may create tenants\n' });
    expect(ownLimit).toMatchObject({
      code: 1,
      stderr: "kyoyu: PATCH /admin/tenants/rail-isac: 403 Only platform operators may change a tenant's request limit\n",
    });
    expect(unknown).toMatchObject({ code: 1, stderr: 'kyoyu: Unknown command: frobnicate; see kyoyu --help\n' });
    expect(badOption.code).toBe(1);
    expect(badOption.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrongFile.code).toBe(1);
    expect(wrongFile.stderr).toMatch(
      /^kyoyu: .*settings\.json: not STIX: expected a STIX bundle or TAXII envelope \(an "objects" list\), .*JSON Lines\n$/,
    );
  });

  it('shares and fetches attachments and malware samples, checked against their hashes', async () => {
    const user = (name: string) => env.demo.tenants.flatMap((t) => t.members.flatMap((m) => m.users)).find((u) => u.username === name)!;
    for (const name of ['ics-provider', 'ics-consumer', 'ics-admin']) {
      await ok('profile', 'set', name, '--endpoint', env.platform.url, '--user', name, '--password', user(name).password);
    }
    const report = join(dir, 'Kanto Power incident.pdf');
    writeFileSync(report, Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(3000)]));
    const collection = ['--collection', 'ICS indicators'];

    const attachment = await json<{ id: string; file_name: string; sha256: string }>(
      'attachment',
      'share',
      report,
      ...collection,
      '--tlp',
      'green',
      '--profile',
      'ics-provider',
    );
    expect(attachment.file_name).toBe('[REDACTED] incident.pdf');
    const saved = join(dir, 'fetched.pdf');
    expect(await json('attachment', 'get', attachment.id, ...collection, '--output', saved, '--profile', 'ics-consumer')).toMatchObject({
      saved,
      sha256: attachment.sha256,
    });
    expect(readFileSync(saved)).toEqual(readFileSync(report));

    const dropper = join(dir, 'dropper.bin');
    writeFileSync(dropper, randomBytes(2000));
    const undeclared = await kyoyu('sample', 'share', dropper, ...collection, '--profile', 'ics-provider');
    expect(undeclared).toMatchObject({ code: 1, stderr: expect.stringContaining('--malware') });
    const sample = await json<{ id: string; sha256: string }>(
      'sample',
      'share',
      dropper,
      ...collection,
      '--malware',
      '--profile',
      'ics-provider',
    );
    const zipPath = join(dir, 'sample.zip');
    const notYet = await kyoyu('sample', 'get', sample.id, ...collection, '--output', zipPath, '--profile', 'ics-consumer');
    expect(notYet).toMatchObject({ code: 1, stderr: expect.stringContaining('403 Sample') });
    await ok('sample', 'grant', sample.id, ...collection, '--member', 'hokuriku-water', '--profile', 'ics-admin');
    expect(await json('sample', 'get', sample.id, ...collection, '--output', zipPath, '--profile', 'ics-consumer')).toMatchObject({
      saved: zipPath,
      password: 'infected',
    });
    expect(readFileSync(zipPath).subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
  }, 60000);

  it('takes option values that start with a dash, as generated passwords can', async () => {
    await ok('profile', 'set', 'dash', '--endpoint', env.platform.url, '--user', '-user', '--password', '-x9Zq');
    const profiles = JSON.parse(readFileSync(join(dir, 'profiles.json'), 'utf8')) as {
      profiles: Record<string, { username?: string; password?: string }>;
    };
    expect(profiles.profiles.dash).toMatchObject({ username: '-user', password: '-x9Zq' });
  });

  it('ingests what analysts have on disk: a single STIX object, a JSON array of objects and JSON Lines', async () => {
    const single = join(dir, 'campaign-indicator.json');
    writeFileSync(single, JSON.stringify(indicator(), null, 4));
    const array = join(dir, 'objects.json');
    writeFileSync(array, JSON.stringify([indicator(), indicator()]));
    const lines = join(dir, 'feed.jsonl');
    writeFileSync(lines, `${JSON.stringify(indicator())}\n${JSON.stringify({ objects: [indicator()] })}\n`);

    const ingested = await kyoyu('ingest', single, array, lines, '--collection', 'Rail indicators', '--profile', 'east');

    expect(ingested).toMatchObject({ code: 0, stdout: '5 objects in 3 file(s): 5 succeeded, 0 failed, 0 pending\n' });
  }, 60000);

  it('takes secrets from the environment, standard input or a stored profile, not only from argv; profiles stay mode 600', async () => {
    const url = env.platform.url;
    await ok('profile', 'set', 'west-bare', '--endpoint', url, '--user', 'west-soc');
    const noSecret = await kyoyu('status', '--profile', 'west-bare');
    const password = { env: { KYOYU_PASSWORD: printed.readerPassword! } };
    const fromEnv = await kyoyuWith(password, 'status', '--json', '--profile', 'west-bare');
    const fromStdin = await kyoyuWith(
      { stdin: `${printed.readerPassword}\n` },
      'status',
      '--json',
      '--password-stdin',
      '--profile',
      'west-bare',
    );
    await kyoyuWith({ stdin: `${printed.key}\n` }, 'profile', 'set', 'east-stdin', '--endpoint', url, '--key-stdin');
    await kyoyuWith(password, 'profile', 'set', 'west-env', '--endpoint', url, '--user', 'west-soc');
    const storedKey = await json<{ member: string }>('status', '--profile', 'east-stdin');
    const storedPassword = await json<{ member: string }>('status', '--profile', 'west-env');

    expect(noSecret).toMatchObject({ code: 1, stderr: expect.stringContaining('Profile west-bare has no credentials: give a password') });
    expect([fromEnv.code, JSON.parse(fromEnv.stdout)]).toEqual([0, expect.objectContaining({ username: 'west-soc', role: 'reader' })]);
    expect([fromStdin.code, JSON.parse(fromStdin.stdout)]).toEqual([0, expect.objectContaining({ username: 'west-soc', role: 'reader' })]);
    expect([storedKey.member, storedPassword.member]).toEqual(['east-rail', 'west-rail']);
    const profiles = JSON.parse(readFileSync(join(dir, 'profiles.json'), 'utf8')) as { profiles: Record<string, { password?: string }> };
    expect(profiles.profiles['west-bare']).not.toHaveProperty('password');
    expect(statSync(join(dir, 'profiles.json')).mode & 0o777).toBe(0o600);
  }, 60000);

  it('answers --help on every command', async () => {
    const help = await kyoyu('--help');
    const commands = [...help.stdout.matchAll(/^ {2}kyoyu (\S+)(?: ([a-z-]+))?/gm)].map((m) =>
      ['ingest', 'export', 'status'].includes(m[1]!) ? [m[1]!] : [m[1]!, m[2]!],
    );
    expect(commands.length).toBeGreaterThan(30);
    for (const command of commands) {
      const run = await kyoyu(...command, '--help');
      expect([command.join(' '), run.code, run.stdout.startsWith(`Usage: kyoyu ${command.join(' ')}`)]).toEqual([
        command.join(' '),
        0,
        true,
      ]);
    }
  }, 60000);
});
