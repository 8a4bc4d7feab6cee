import { authenticate, parseBasicAuthorization } from '../../../shared/core/auth/authenticate';
import { hashPassword, verifyPassword } from '../../../shared/core/auth/passwords';
import type { Member, Tenant, User } from '../../../shared/core/directory/model';
import { UnauthorizedError } from '../../../shared/core/errors';
import type { DirectoryStore } from '../../../shared/core/ports';

const tenant: Tenant = { id: 'ics-isac', nameEn: 'ICS', nameJa: '制御', description: '', identityId: 'identity--0b1a5b1e-0000-4000-8000-000000000001', status: 'active' };
const member: Member = { tenantId: 'ics-isac', id: 'acme', nameEn: 'Acme', nameJa: 'アクメ', sector: 'energy', tier: 0, status: 'active', secretOptIn: false };

function directoryWith(users: User[], overrides: { member?: Partial<Member>; tenant?: Partial<Tenant> } = {}): DirectoryStore {
  const unused = () => Promise.reject(new Error('not used'));
  return {
    getTenant: async () => ({ ...tenant, ...overrides.tenant }),
    getMember: async () => ({ ...member, ...overrides.member }),
    getUser: async (username) => users.find((u) => u.username === username),
    listCollections: unused,
    getCollection: unused,
    grantsOfMember: unused,
    putGrant: unused,
    createTenant: unused,
    createMember: unused,
    createCollection: unused,
    putUser: unused,
  };
}

const header = (username: string, password: string, scheme = 'Basic') => `${scheme} ${Buffer.from(`${username}:${password}`).toString('base64')}`;

describe('authenticate', () => {
  let alice: User;
  beforeAll(async () => {
    alice = { username: 'alice', tenantId: 'ics-isac', memberId: 'acme', role: 'analyst', passwordHash: await hashPassword('correct horse'), status: 'active' };
  });

  it('returns the principal for the right password, with a lower-case scheme too (MISP)', async () => {
    const principal = await authenticate(header('alice', 'correct horse', 'basic'), { directory: directoryWith([alice]) });
    expect(principal).toEqual({ tenantId: 'ics-isac', memberId: 'acme', username: 'alice', role: 'analyst' });
  });

  it('gives the same answer for a wrong password and an unknown user', async () => {
    const directory = directoryWith([alice]);
    await expect(authenticate(header('alice', 'wrong'), { directory })).rejects.toThrow(new UnauthorizedError('Unknown user or wrong password'));
    await expect(authenticate(header('mallory', 'x'), { directory })).rejects.toThrow(new UnauthorizedError('Unknown user or wrong password'));
  });

  it('refuses suspended users and users of suspended members or tenants', async () => {
    await expect(authenticate(header('alice', 'correct horse'), { directory: directoryWith([{ ...alice, status: 'suspended' }]) })).rejects.toThrow(/suspended/);
    await expect(authenticate(header('alice', 'correct horse'), { directory: directoryWith([alice], { member: { status: 'expelled' } }) })).rejects.toThrow(/member organisation/);
    await expect(authenticate(header('alice', 'correct horse'), { directory: directoryWith([alice], { tenant: { status: 'suspended' } }) })).rejects.toThrow(/tenant/);
  });

  it('keeps colons inside passwords and refuses malformed headers', () => {
    expect(parseBasicAuthorization(header('bob', 'a:b:c'))).toEqual({ username: 'bob', password: 'a:b:c' });
    expect(() => parseBasicAuthorization('Bearer abc')).toThrow(UnauthorizedError);
    expect(() => parseBasicAuthorization(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toThrow(/username:password/);
  });
});

describe('password hashes', () => {
  it('are salted: the same password hashes differently and verifies both ways', async () => {
    const [a, b] = [await hashPassword('s3cret'), await hashPassword('s3cret')];
    expect(a).not.toBe(b);
    expect(await verifyPassword('s3cret', a)).toBe(true);
    expect(await verifyPassword('s3cret', b)).toBe(true);
    expect(await verifyPassword('S3cret', a)).toBe(false);
    expect(await verifyPassword('s3cret', 'md5$abc')).toBe(false);
  });
});
