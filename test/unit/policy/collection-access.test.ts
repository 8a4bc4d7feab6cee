import { ForbiddenError, NotFoundError } from '../../../shared/core/errors';
import {
  assertCanRead,
  assertCanWrite,
  assertCollectionVisible,
  collectionAccess,
  collectionNotFound,
  type GrantHolder,
} from '../../../shared/core/policy/collection-access';
import { GrantSchema, type Grant } from '../../../shared/core/policy/grants';

const ALERTS = '6f1c2b9e-7c1a-4d4e-9a53-0b8c3f7c2a10';
const SECRET_WG = '0c3a4d5e-1111-4222-8333-944455556666';
const MISSING = '9d9d9d9d-2222-4333-8444-955555555555';

const acme: GrantHolder = { tenantId: 'ics-isac', memberId: 'acme', groupIds: ['operators'] };

function grant(overrides: Partial<Grant>): Grant {
  return {
    tenantId: 'ics-isac',
    collectionId: ALERTS,
    grantee: { kind: 'member', memberId: 'acme' },
    read: true,
    write: false,
    clearance: 'green',
    samples: false,
    ...overrides,
  };
}

/** What the caller of `act` is told, as status and description. */
function refusal(act: () => void): { status: number; description: string } {
  try {
    act();
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ForbiddenError)
      return { status: error.httpStatus, description: error.description };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('sample recipients', () => {
  it('come from a reading grant with samples, of the member or one of its groups', () => {
    const viaGroup = [grant({ grantee: { kind: 'group', groupId: 'operators' }, samples: true })];
    expect(collectionAccess(viaGroup, acme, ALERTS).canReceiveSamples).toBe(true);
    expect(collectionAccess(viaGroup, { ...acme, groupIds: [] }, ALERTS).canReceiveSamples).toBe(false);
    expect(collectionAccess(viaGroup, acme, SECRET_WG).canReceiveSamples).toBe(false);
  });

  it('cannot be made by a write-only grant', () => {
    const parsed = GrantSchema.safeParse(grant({ read: false, write: true, samples: true }));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toEqual(['only a grant that allows read can make its grantee a sample recipient']);
  });
});

describe('GrantSchema', () => {
  it('accepts member and group grants', () => {
    expect(GrantSchema.parse(grant({}))).toEqual(grant({}));
    expect(GrantSchema.parse(grant({ grantee: { kind: 'group', groupId: 'operators' }, write: true }))).toMatchObject({
      grantee: { kind: 'group' },
    });
  });

  it('refuses a grant that allows nothing, an unknown TLP and a non-UUID collection', () => {
    expect(GrantSchema.safeParse(grant({ read: false, write: false })).error?.issues[0]?.message).toBe(
      'a grant must allow read, write or both',
    );
    expect(GrantSchema.safeParse({ ...grant({}), clearance: 'white' }).success).toBe(false);
    expect(GrantSchema.safeParse(grant({ collectionId: 'alerts' })).success).toBe(false);
  });
});

describe('collectionAccess', () => {
  it('gives nothing without a grant', () => {
    expect(collectionAccess([], acme, ALERTS)).toEqual({ canRead: false, canWrite: false, clearance: 'clear', canReceiveSamples: false });
  });

  it('adds the member’s own grants and its groups’: any read, any write, the highest read clearance', () => {
    const grants = [
      grant({ clearance: 'green' }),
      grant({ grantee: { kind: 'group', groupId: 'operators' }, read: true, clearance: 'amber' }),
      grant({ grantee: { kind: 'group', groupId: 'operators' }, read: false, write: true, clearance: 'red' }),
    ];

    expect(collectionAccess(grants, acme, ALERTS)).toEqual({ canRead: true, canWrite: true, clearance: 'amber', canReceiveSamples: false });
  });

  it('ignores grants of other members, groups, collections and tenants', () => {
    const grants = [
      grant({ grantee: { kind: 'member', memberId: 'globex' }, clearance: 'red' }),
      grant({ grantee: { kind: 'group', groupId: 'regulators' }, clearance: 'red' }),
      grant({ collectionId: SECRET_WG, clearance: 'red' }),
      grant({ tenantId: 'fin-isac', clearance: 'red' }),
    ];

    expect(collectionAccess(grants, acme, ALERTS)).toEqual({
      canRead: false,
      canWrite: false,
      clearance: 'clear',
      canReceiveSamples: false,
    });
  });

  it('gives a submit-only member write without read', () => {
    expect(collectionAccess([grant({ read: false, write: true, clearance: 'red' })], acme, ALERTS)).toEqual({
      canRead: false,
      canWrite: true,
      clearance: 'clear',
      canReceiveSamples: false,
    });
  });
});

describe('a collection the caller may not see is indistinguishable from a missing one', () => {
  it('answers the same 404, word for word', () => {
    const hidden = refusal(() => assertCollectionVisible(collectionAccess([], acme, SECRET_WG), SECRET_WG));
    const missing = refusal(() => {
      throw collectionNotFound(SECRET_WG);
    });

    expect(hidden).toEqual(missing);
    expect(hidden).toEqual({ status: 404, description: `Collection ${SECRET_WG} was not found in this API root` });
  });

  it('answers 404 for an unknown collection with no access computed', () => {
    expect(refusal(() => assertCanRead(undefined, MISSING))).toEqual({
      status: 404,
      description: `Collection ${MISSING} was not found in this API root`,
    });
  });

  it('lets a reader or a writer see the collection', () => {
    expect(() => assertCollectionVisible(collectionAccess([grant({})], acme, ALERTS), ALERTS)).not.toThrow();
    expect(() => assertCollectionVisible(collectionAccess([grant({ read: false, write: true })], acme, ALERTS), ALERTS)).not.toThrow();
  });
});

describe('read and write on a visible collection', () => {
  it('is a 403 to read a collection one may only write to', () => {
    const access = collectionAccess([grant({ read: false, write: true })], acme, ALERTS);

    expect(refusal(() => assertCanRead(access, ALERTS))).toEqual({
      status: 403,
      description: `You may add objects to collection ${ALERTS} but not read it (can_read is false)`,
    });
    expect(() => assertCanWrite(access, ALERTS)).not.toThrow();
  });

  it('is a 403 to write to a collection one may only read', () => {
    const access = collectionAccess([grant({})], acme, ALERTS);

    expect(refusal(() => assertCanWrite(access, ALERTS))).toEqual({
      status: 403,
      description: `Collection ${ALERTS} is read-only for you (can_write is false)`,
    });
    expect(() => assertCanRead(access, ALERTS)).not.toThrow();
  });

  it('is the 404, not a 403, to write to a hidden collection', () => {
    expect(refusal(() => assertCanWrite(collectionAccess([], acme, SECRET_WG), SECRET_WG)).status).toBe(404);
  });
});
