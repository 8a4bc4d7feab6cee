import { adminClient, visibleCollections, type AdminClient } from '../support/admin-client';
import { demoUser, startSeededPlatform, type SeededPlatform } from '../support/platform';

let env: SeededPlatform;
let icsAdmin: AdminClient;
let collectionId: string;
const T = '/admin/tenants/ics-isac';

beforeAll(async () => {
  env = await startSeededPlatform('admin-groups');
  icsAdmin = adminClient(env, 'ics-admin');
  const created = await icsAdmin.post<{ id: string }>(`${T}/collections`, {
    title: 'Water incidents',
    description: 'Attacks on water works',
    defaultTlp: 'amber',
    publication: 'moderation',
    policy: { tlpCeiling: 'amber+strict', attribution: 'attributed', minConfidence: 50 },
  });
  collectionId = created.body.id;
});
afterAll(async () => env?.platform.stop());

const consumer = () => demoUser(env.demo, 'ics-consumer'); // member hokuriku-water

describe('collections', () => {
  it('gives a new collection an RFC 4122 version-4 id (TAXII 2.1 §2), while the seeded deterministic ids keep working', async () => {
    expect(collectionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const seeded = env.demo.tenants[0]!.collections[0]!.id;
    expect((await icsAdmin.get(`${T}/collections/${seeded}`)).status).toBe(200);
  });

  it('stores the pipeline policy, TLP default and publication mode, and refuses a duplicate title', async () => {
    const stored = await icsAdmin.get(`${T}/collections/${collectionId}`);
    const patched = await icsAdmin.patch(`${T}/collections/${collectionId}`, { policy: { allowedTypes: ['indicator'] } });
    const duplicate = await icsAdmin.post<{ description: string }>(`${T}/collections`, { title: 'Water incidents' });

    expect(stored.body).toMatchObject({
      title: 'Water incidents',
      defaultTlp: 'amber',
      publication: 'moderation',
      policy: { tlpCeiling: 'amber+strict', attribution: 'attributed', minConfidence: 50 },
    });
    expect(collectionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(patched.body).toMatchObject({ policy: { allowedTypes: ['indicator'], tlpCeiling: 'amber+strict', minConfidence: 50 } });
    expect(duplicate.status).toBe(409);
  });
});

describe('grants change what TAXII shows, at once', () => {
  it('shows a collection on a member grant and hides it when the grant is deleted', async () => {
    const before = await visibleCollections(env, 'ics-isac', consumer());
    const put = await icsAdmin.put(`${T}/grants`, {
      collectionId,
      grantee: { kind: 'member', memberId: 'hokuriku-water' },
      read: true,
      write: false,
      clearance: 'green',
    });
    const granted = await visibleCollections(env, 'ics-isac', consumer());
    const deleted = await icsAdmin.delete(`${T}/grants?collection=${collectionId}&member=hokuriku-water`);
    const after = await visibleCollections(env, 'ics-isac', consumer());

    expect(put.status).toBe(200);
    expect(before).not.toContain('Water incidents');
    expect(granted).toContain('Water incidents');
    expect(deleted.status).toBe(204);
    expect(after).toEqual(before);
  });

  it('counts group grants: joining the group shows the collection, leaving hides it', async () => {
    await icsAdmin.post(`${T}/groups`, { id: 'water-ops', title: 'Water operators', kind: 'limited' });
    await icsAdmin.put(`${T}/grants`, {
      collectionId,
      grantee: { kind: 'group', groupId: 'water-ops' },
      read: true,
      write: true,
      clearance: 'amber',
    });
    const outside = await visibleCollections(env, 'ics-isac', consumer());
    await icsAdmin.put(`${T}/groups/water-ops/members/hokuriku-water`);
    const inside = await visibleCollections(env, 'ics-isac', consumer());
    await icsAdmin.delete(`${T}/groups/water-ops/members/hokuriku-water`);
    const left = await visibleCollections(env, 'ics-isac', consumer());

    expect(outside).not.toContain('Water incidents');
    expect(inside).toContain('Water incidents');
    expect(left).not.toContain('Water incidents');
    expect((await icsAdmin.get<{ grants: unknown[] }>(`${T}/grants?group=water-ops`)).body.grants).toHaveLength(1);
  });

  it('refuses a grant to a member or group that does not exist', async () => {
    const response = await icsAdmin.put<{ description: string }>(`${T}/grants`, {
      collectionId,
      grantee: { kind: 'group', groupId: 'nobody' },
      read: true,
      write: false,
      clearance: 'green',
    });
    expect(response.status).toBe(404);
    expect(response.body.description).toBe('No group nobody in tenant ics-isac');
  });
});

describe('secret groups', () => {
  beforeAll(async () => {
    await icsAdmin.post(`${T}/groups`, { id: 'red-cell', title: 'Red cell', kind: 'secret', memberIds: ['kanto-power'] });
    await icsAdmin.post(`${T}/groups`, { id: 'everyone', title: 'Everyone', kind: 'open', memberIds: ['kanto-power', 'hokuriku-water'] });
    await icsAdmin.put(`${T}/grants`, {
      collectionId,
      grantee: { kind: 'group', groupId: 'red-cell' },
      read: true,
      write: false,
      clearance: 'amber',
    });
  });

  it('are invisible to non-members in every listing and answer 404 like a missing group', async () => {
    const outsider = adminClient(env, 'ics-consumer');
    const listed = await outsider.get<{ groups: Array<{ id: string }> }>(`${T}/groups`);
    const secret = await outsider.get<{ description: string }>(`${T}/groups/red-cell`);
    const missing = await outsider.get<{ description: string }>(`${T}/groups/no-such-group`);
    const grants = await outsider.get(`${T}/grants`);

    expect(listed.body.groups.map((g) => g.id)).not.toContain('red-cell');
    expect(listed.body.groups.map((g) => g.id)).toContain('everyone');
    expect(secret.status).toBe(404);
    expect(secret.body.description.replace('red-cell', 'X')).toBe(missing.body.description.replace('no-such-group', 'X'));
    expect(grants.status).toBe(403);
    expect(await visibleCollections(env, 'ics-isac', consumer())).not.toContain('Water incidents');
    expect(JSON.stringify(listed.body)).not.toMatch(/red-cell|Red cell/);
  });

  it('are visible to their members (without the member list) and to tenant admins (with it)', async () => {
    const insider = await adminClient(env, 'ics-provider').get<{ groups: Array<Record<string, unknown>> }>(`${T}/groups`);
    const admin = await icsAdmin.get<{ groups: Array<Record<string, unknown>> }>(`${T}/groups`);

    expect(insider.body.groups.find((g) => g.id === 'red-cell')).toEqual({
      tenantId: 'ics-isac',
      id: 'red-cell',
      title: 'Red cell',
      description: '',
      kind: 'secret',
      member: true,
    });
    expect(admin.body.groups.find((g) => g.id === 'red-cell')).toMatchObject({ memberIds: ['kanto-power'] });
    expect(await visibleCollections(env, 'ics-isac', demoUser(env.demo, 'ics-provider'))).toContain('Water incidents');
  });

  it('take their grants with them when deleted', async () => {
    expect((await icsAdmin.delete(`${T}/groups/red-cell`)).status).toBe(204);
    expect((await icsAdmin.get<{ grants: unknown[] }>(`${T}/grants?group=red-cell`)).body.grants).toEqual([]);
    expect(await visibleCollections(env, 'ics-isac', demoUser(env.demo, 'ics-provider'))).not.toContain('Water incidents');
  });
});
