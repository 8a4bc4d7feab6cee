import { adminClient, type AdminClient } from '../support/admin-client';
import { startSeededPlatform, type SeededPlatform } from '../support/platform';

/**
 * The identifier registry's review flow over HTTP: a member's own analyst proposes, a tenant admin approves or
 * rejects, and only then does the anonymize stage see the change (it reads DirectoryStore.getRegistry). What would
 * silence the tenant is refused, and the audit log keeps fingerprints, never identifiers.
 */

interface Registry {
  names: string[];
  domains: string[];
  emailDomains: string[];
  ipRanges: string[];
  brands: string[];
  internalHostSuffixes: string[];
  referencePrefixes: string[];
  pending?: Registry & { proposedAt: string; proposedBy: { username: string; role: string } };
  proposedAt?: string;
}
interface ErrorBody {
  description: string;
}

let env: SeededPlatform;
let admin: AdminClient;
let analyst: AdminClient;
const PATH = '/admin/tenants/ics-isac/members/kanto-power/registry';

/** Every identifier this suite puts in a registry: none may appear in any audit answer. */
const SECRETS = {
  first: {
    names: ['Kanto Secret Name'],
    domains: ['kanto-hidden.example'],
    ipRanges: ['198.51.100.0/24'],
    internalHostSuffixes: ['corp.kanto-hidden.local'],
    referencePrefixes: ['KPX-SEC-'],
  },
  second: { names: ['Kanto Other Alias'], brands: ['KantoHiddenGrid'], emailDomains: ['mail.kanto-alias.example'] },
  third: { names: ['Kanto Rejected Alias'], domains: ['kanto-rejected.example'] },
  admin: { names: ['Kanto Admin Alias'], ipRanges: ['203.0.113.0/24'] },
};
const SECRET_VALUES = Object.values(SECRETS).flatMap((lists) => Object.values(lists).flat());
const EMPTY = { names: [], domains: [], emailDomains: [], ipRanges: [], brands: [], internalHostSuffixes: [], referencePrefixes: [] };

beforeAll(async () => {
  env = await startSeededPlatform('admin-registry');
  admin = adminClient(env, 'ics-admin');
  analyst = adminClient(env, 'ics-provider');
}, 60000);
afterAll(async () => env?.platform.stop());

/** What the pipeline reads: the active registry's lists. */
async function pipelineView(): Promise<Record<string, string[]>> {
  const {
    tenantId: _t,
    memberId: _m,
    ...lists
  } = (await env.directory.getRegistry('ics-isac', 'kanto-power')) ?? { tenantId: '', memberId: '', ...EMPTY };
  return lists;
}

describe('registry review', () => {
  it("keeps an analyst's change pending until a tenant admin approves it", async () => {
    const proposal = await analyst.put<Registry>(PATH, SECRETS.first);
    const meanwhile = await admin.get<Registry>(PATH);
    const pipelineMeanwhile = await pipelineView();
    const approved = await admin.post<Registry>(`${PATH}/approve`, { proposedAt: proposal.body.proposedAt });

    expect(proposal.status).toBe(202);
    expect(proposal.body).toMatchObject({ ...EMPTY, ...SECRETS.first, proposedBy: { username: 'ics-provider', role: 'analyst' } });
    expect(meanwhile.body).toMatchObject({ ...EMPTY, pending: proposal.body });
    expect(pipelineMeanwhile).toEqual(EMPTY);
    expect(approved.status).toBe(200);
    expect(approved.body).toEqual({ tenantId: 'ics-isac', memberId: 'kanto-power', ...EMPTY, ...SECRETS.first });
    expect(await pipelineView()).toEqual({ ...EMPTY, ...SECRETS.first });
    expect((await analyst.get<Registry>(PATH)).body).toEqual(approved.body);
  });

  it('lets a tenant admin reject a proposal: the active registry stays, nothing is left to approve', async () => {
    await analyst.put(PATH, SECRETS.third);
    const rejected = await admin.post<Registry>(`${PATH}/reject`);
    const approveAfter = await admin.post<ErrorBody>(`${PATH}/approve`);

    expect(rejected.status).toBe(200);
    expect(rejected.body).toEqual({ tenantId: 'ics-isac', memberId: 'kanto-power', ...EMPTY, ...SECRETS.first });
    expect((await admin.get<Registry>(PATH)).body.pending).toBeUndefined();
    expect(approveAfter.status).toBe(404);
    expect(approveAfter.body.description).toBe('No registry change of member kanto-power awaits review');
    expect(await pipelineView()).toEqual({ ...EMPTY, ...SECRETS.first });
  });

  it('refuses with 409 to approve a proposal a newer one replaced, and approves the newer one', async () => {
    const older = await analyst.put<Registry>(PATH, SECRETS.third);
    const newer = await analyst.put<Registry>(PATH, { ...SECRETS.first, ...SECRETS.second });
    const stale = await admin.post<ErrorBody>(`${PATH}/approve`, { proposedAt: older.body.proposedAt });
    const staleReject = await admin.post<ErrorBody>(`${PATH}/reject`, { proposedAt: older.body.proposedAt });

    expect(newer.body.proposedAt! > older.body.proposedAt!).toBe(true);
    expect([stale.status, staleReject.status]).toEqual([409, 409]);
    expect(stale.body.description).toBe(
      `The registry change of member kanto-power proposed at ${older.body.proposedAt} was replaced by a newer one; read the registry and review that`,
    );
    expect(await pipelineView()).toEqual({ ...EMPTY, ...SECRETS.first });
    expect((await admin.post(`${PATH}/approve`, { proposedAt: newer.body.proposedAt })).status).toBe(200);
    expect(await pipelineView()).toEqual({ ...EMPTY, ...SECRETS.first, ...SECRETS.second });
  });

  it("applies a tenant admin's own change at once and leaves a pending proposal pending", async () => {
    const pending = await analyst.put<Registry>(PATH, SECRETS.third);
    const put = await admin.put<Registry>(PATH, SECRETS.admin);

    expect(put.status).toBe(200);
    expect(put.body).toEqual({ tenantId: 'ics-isac', memberId: 'kanto-power', ...EMPTY, ...SECRETS.admin });
    expect(await pipelineView()).toEqual({ ...EMPTY, ...SECRETS.admin });
    expect((await admin.get<Registry>(PATH)).body.pending).toEqual(pending.body);
  });

  it('lets only tenant admins of the tenant review: readers, analysts and operators 403, another member or tenant 404', async () => {
    const reader = adminClient(env, 'ics-reader');
    const otherAnalyst = adminClient(env, 'ics-consumer');
    const operator = adminClient(env, 'operator');
    const foreignAdmin = adminClient(env, 'fin-admin');
    const before = await admin.get<Registry>(PATH);

    const answers = {
      readerPutsOwn: (await reader.put('/admin/tenants/ics-isac/members/control-vendor/registry', SECRETS.third)).status,
      readerApproves: (await reader.post(`${PATH}/approve`)).status,
      analystApprovesOwn: (await analyst.post(`${PATH}/approve`)).status,
      analystRejectsOwn: (await analyst.post(`${PATH}/reject`)).status,
      otherMemberProposes: (await otherAnalyst.put(PATH, SECRETS.third)).status,
      operatorReads: (await operator.get(PATH)).status,
      operatorPuts: (await operator.put(PATH, SECRETS.third)).status,
      operatorApproves: (await operator.post(`${PATH}/approve`)).status,
      foreignAdminReads: (await foreignAdmin.get(PATH)).status,
      foreignAdminApproves: (await foreignAdmin.post(`${PATH}/approve`)).status,
      foreignAdminRejects: (await foreignAdmin.post(`${PATH}/reject`)).status,
    };

    expect(answers).toEqual({
      readerPutsOwn: 403,
      readerApproves: 403,
      analystApprovesOwn: 403,
      analystRejectsOwn: 403,
      otherMemberProposes: 404,
      operatorReads: 403,
      operatorPuts: 403,
      operatorApproves: 403,
      foreignAdminReads: 404,
      foreignAdminApproves: 404,
      foreignAdminRejects: 404,
    });
    expect((await admin.get<Registry>(PATH)).body).toEqual(before.body);
  });

  it('refuses what would silence the tenant, from a tenant admin too, naming the value and the rule', async () => {
    const poison = await admin.put<ErrorBody>(PATH, { domains: ['com'], ipRanges: ['0.0.0.0/0'], referencePrefixes: ['CVE-'] });
    const proposed = await analyst.put<ErrorBody>(PATH, { domains: ['co.jp'] });

    expect(poison.status).toBe(400);
    expect(poison.body.description.split('; ')).toEqual([
      'domains[0]: "com" is a public suffix (Public Suffix List) or under none, and would withhold every domain of the tenant under it (give a registrable domain such as example.co.jp or a name below one)',
      'ipRanges[0]: "0.0.0.0/0" is broader than /16, the broadest IPv4 range a member may register',
      'referencePrefixes[0]: "CVE-" overlaps the public identifier scheme CVE-, whose values are attack information the tenant shares',
    ]);
    expect(proposed.status).toBe(400);
    expect(await pipelineView()).toEqual({ ...EMPTY, ...SECRETS.admin });
  });

  it('audits every change, proposal, approval and rejection as counts and digests, never the identifiers', async () => {
    const operator = adminClient(env, 'operator');
    const entries: Array<{ action: string; target?: { id: string }; before?: Record<string, unknown>; after?: Record<string, unknown> }> =
      [];
    let next: string | undefined;
    do {
      const page = await operator.get<{ entries: typeof entries; next?: string }>(
        `/admin/tenants/ics-isac/audit?limit=100${next ? `&next=${next}` : ''}`,
      );
      expect(page.status).toBe(200);
      entries.push(...page.body.entries);
      next = page.body.next;
    } while (next);
    const registryEntries = entries.filter((e) => e.action.startsWith('registry.'));

    expect(registryEntries.map((e) => e.action)).toEqual([
      'registry.propose',
      'registry.approve',
      'registry.propose',
      'registry.reject',
      'registry.propose',
      'registry.propose',
      'registry.approve',
      'registry.propose',
      'registry.update',
    ]);
    for (const entry of registryEntries) {
      for (const fingerprint of [entry.before, entry.after].filter((f) => f !== undefined)) {
        expect(fingerprint).toMatchObject({ entries: expect.any(Number), digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
      }
    }
    expect(registryEntries.find((e) => e.action === 'registry.update')).toMatchObject({ after: { entries: 2 } });
    const dump = JSON.stringify(entries).toLowerCase();
    expect(SECRET_VALUES.filter((value) => dump.includes(value.toLowerCase()))).toEqual([]);
    expect((await admin.get<{ ok: boolean }>('/admin/tenants/ics-isac/audit/verify')).body.ok).toBe(true);
  });
});
