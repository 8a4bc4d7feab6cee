import { authenticate, parseBasicAuthorization } from '../../../shared/core/auth/authenticate';
import { hashPassword, verifyPassword } from '../../../shared/core/auth/passwords';
import type { Member, Tenant, User } from '../../../shared/core/directory/model';
import { newApiKeyId, newApiKeySecret, type ApiKey } from '../../../shared/core/directory/api-keys';
import { AuthenticationFailedError, UnauthorizedError } from '../../../shared/core/errors';
import type { DirectoryStore } from '../../../shared/core/ports';

const tenant: Tenant = {
  id: 'ics-isac',
  nameEn: 'ICS',
  nameJa: '制御',
  description: '',
  identityId: 'identity--0b1a5b1e-0000-4000-8000-000000000001',
  status: 'active',
};
const member: Member = {
  tenantId: 'ics-isac',
  id: 'acme',
  nameEn: 'Acme',
  nameJa: 'アクメ',
  sector: 'energy',
  tier: 0,
  status: 'active',
  secretOptIn: false,
};

function directoryWith(
  users: User[],
  overrides: { member?: Partial<Member>; tenant?: Partial<Tenant> } = {},
  keys: ApiKey[] = [],
): DirectoryStore {
  const used: Partial<DirectoryStore> = {
    getTenant: async () => ({ ...tenant, ...overrides.tenant }),
    getMember: async () => ({ ...member, ...overrides.member }),
    getUser: async (username) => users.find((u) => u.username === username),
    getOperator: async () => undefined,
    getApiKey: async (keyId) => keys.find((k) => k.id === keyId),
  };
  // Every other method of the port fails the test if authenticate calls it.
  return new Proxy(used, {
    get: (target, name: string) => target[name as keyof DirectoryStore] ?? (() => Promise.reject(new Error(`${name} not used`))),
  }) as DirectoryStore;
}

const header = (username: string, password: string, scheme = 'Basic') =>
  `${scheme} ${Buffer.from(`${username}:${password}`).toString('base64')}`;

describe('authenticate', () => {
  let alice: User;
  beforeAll(async () => {
    alice = {
      username: 'alice',
      tenantId: 'ics-isac',
      memberId: 'acme',
      role: 'analyst',
      passwordHash: await hashPassword('correct horse'),
      status: 'active',
    };
  });

  it('returns the principal for the right password, with a lower-case scheme too (MISP)', async () => {
    const principal = await authenticate(header('alice', 'correct horse', 'basic'), { directory: directoryWith([alice]) });
    expect(principal).toEqual({ tenantId: 'ics-isac', memberId: 'acme', username: 'alice', role: 'analyst' });
  });

  it('gives the same answer for a wrong password and an unknown user', async () => {
    const directory = directoryWith([alice]);
    await expect(authenticate(header('alice', 'wrong'), { directory })).rejects.toThrow(
      new UnauthorizedError('Unknown user or wrong password'),
    );
    await expect(authenticate(header('mallory', 'x'), { directory })).rejects.toThrow(
      new UnauthorizedError('Unknown user or wrong password'),
    );
  });

  it('answers a name no account can have (10 KB, control characters) as an unknown user, without looking it up', async () => {
    // A directory like DynamoDB, whose keys are limited: looking up such a name would fail the authorizer (502).
    const directory = {
      ...directoryWith([alice]),
      getUser: async (name: string) => (name.length > 128 ? Promise.reject(new Error('key too large')) : undefined),
    } as DirectoryStore;
    for (const name of ['u'.repeat(10_240), 'alice\u0000', '../alice', 'é'.repeat(3)]) {
      const failure = await authenticate(header(name, 'correct horse'), { directory }).catch((e: unknown) => e);
      expect(failure).toEqual(new UnauthorizedError('Unknown user or wrong password'));
      expect((failure as AuthenticationFailedError).attempt.username?.length).toBeLessThanOrEqual(129);
    }
  });

  it('refuses suspended users and users of suspended members or tenants', async () => {
    await expect(
      authenticate(header('alice', 'correct horse'), { directory: directoryWith([{ ...alice, status: 'suspended' }]) }),
    ).rejects.toThrow(/suspended/);
    await expect(
      authenticate(header('alice', 'correct horse'), { directory: directoryWith([alice], { member: { status: 'expelled' } }) }),
    ).rejects.toThrow(/member organisation/);
    await expect(
      authenticate(header('alice', 'correct horse'), { directory: directoryWith([alice], { tenant: { status: 'suspended' } }) }),
    ).rejects.toThrow(/tenant/);
  });

  it('keeps colons inside passwords and refuses malformed headers', () => {
    expect(parseBasicAuthorization(header('bob', 'a:b:c'))).toEqual({ username: 'bob', password: 'a:b:c' });
    expect(() => parseBasicAuthorization('Bearer abc')).toThrow(UnauthorizedError);
    expect(() => parseBasicAuthorization(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toThrow(/username:password/);
  });
});

describe('authenticate with API keys', () => {
  let key: ApiKey;
  let token: string;
  beforeAll(async () => {
    const id = newApiKeyId();
    const issued = newApiKeySecret(id);
    token = issued.key;
    key = {
      id,
      tenantId: 'ics-isac',
      memberId: 'acme',
      name: 'sentinel',
      role: 'reader',
      secretHash: await hashPassword(issued.secret),
      status: 'active',
      createdAt: '2026-01-01T00:00:00.000Z',
    };
  });
  const expected = () => ({ tenantId: 'ics-isac', memberId: 'acme', username: key.id, role: 'reader' });

  it('accepts a key as Bearer, as Token, and as the Basic password whatever the username (TAXII-CLIENTS #3, #4)', async () => {
    const directory = directoryWith([], {}, [key]);
    expect(await authenticate(`Bearer ${token}`, { directory })).toEqual(expected());
    expect(await authenticate(`token ${token}`, { directory })).toEqual(expected());
    expect(await authenticate(header('sentinel', token), { directory })).toEqual(expected());
  });

  it('refuses a wrong secret, an unknown key, a suspended or expired key, and a key of a suspended member', async () => {
    const wrong = `${key.id}_${'A'.repeat(32)}`;
    const now = () => Date.parse('2026-06-01T00:00:00Z');
    await expect(authenticate(`Bearer ${wrong}`, { directory: directoryWith([], {}, [key]) })).rejects.toThrow(
      /Unknown, revoked or wrong API key/,
    );
    await expect(authenticate(`Bearer ${token}`, { directory: directoryWith([], {}, []) })).rejects.toThrow(
      /Unknown, revoked or wrong API key/,
    );
    await expect(authenticate(`Bearer ${token}`, { directory: directoryWith([], {}, [{ ...key, status: 'suspended' }]) })).rejects.toThrow(
      /suspended/,
    );
    await expect(
      authenticate(`Bearer ${token}`, { directory: directoryWith([], {}, [{ ...key, expiresAt: '2026-05-01T00:00:00.000Z' }]), now }),
    ).rejects.toThrow(/expired/);
    await expect(
      authenticate(`Bearer ${token}`, { directory: directoryWith([], { member: { status: 'suspended' } }, [key]) }),
    ).rejects.toThrow(/member organisation/);
  });

  it('refuses a bearer token that is not a key, and says which tenant a failed known credential belonged to', async () => {
    await expect(authenticate('Bearer abc', { directory: directoryWith([]) })).rejects.toThrow(UnauthorizedError);
    const failure = await authenticate(`Bearer ${key.id}_${'B'.repeat(32)}`, { directory: directoryWith([], {}, [key]) }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(AuthenticationFailedError);
    expect((failure as AuthenticationFailedError).attempt).toEqual({ username: key.id, tenantId: 'ics-isac', memberId: 'acme' });
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
