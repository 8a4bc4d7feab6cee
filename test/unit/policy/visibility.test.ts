import type { Principal } from '../../../shared/core/directory/model';
import { canSee, latestIfVisible, latestVisible, readerView, type VisibleItem } from '../../../shared/core/policy/visibility';
import type { AccessScope, ReaderView, Tlp } from '../../../shared/core/taxii/model';

function item(access: Partial<AccessScope> = {}, tenantId = 'ics-isac'): VisibleItem {
  return { tenantId, access: { tlp: 'green', recipients: [], secret: false, providerMemberId: 'acme', ...access } };
}

function reader(overrides: Partial<ReaderView> = {}): ReaderView {
  return { tenantId: 'ics-isac', memberId: 'globex', clearance: 'amber', secretOptIn: false, isModerator: false, ...overrides };
}

describe('canSee: clearance', () => {
  it.each<[Tlp, Tlp, boolean]>([
    ['clear', 'clear', true],
    ['green', 'clear', true],
    ['green', 'green', true],
    ['green', 'amber', false],
    ['amber', 'amber+strict', false],
    ['amber+strict', 'amber+strict', true],
    ['amber+strict', 'amber', true],
  ])('a reader cleared for %s sees TLP:%s: %s', (clearance, tlp, visible) => {
    expect(canSee(reader({ clearance }), item({ tlp }))).toBe(visible);
  });
});

describe('canSee: TLP:RED reaches only the provider and named recipients', () => {
  it('shows RED to a named recipient cleared for RED', () => {
    expect(canSee(reader({ clearance: 'red' }), item({ tlp: 'red', recipients: ['globex'] }))).toBe(true);
  });

  it('hides RED from a member cleared for RED that is not named', () => {
    expect(canSee(reader({ clearance: 'red' }), item({ tlp: 'red', recipients: ['initech'] }))).toBe(false);
  });

  it('hides RED from a named recipient whose grant does not clear it for RED', () => {
    expect(canSee(reader({ clearance: 'amber+strict' }), item({ tlp: 'red', recipients: ['globex'] }))).toBe(false);
  });

  it('shows RED to its provider, named or not', () => {
    expect(canSee(reader({ memberId: 'acme', clearance: 'green' }), item({ tlp: 'red', recipients: [] }))).toBe(true);
  });
});

describe('canSee: secret items', () => {
  it('reach only members that opted in', () => {
    expect(canSee(reader({ secretOptIn: true }), item({ secret: true }))).toBe(true);
    expect(canSee(reader({ secretOptIn: false }), item({ secret: true }))).toBe(false);
  });

  it('reach their provider without opting in', () => {
    expect(canSee(reader({ memberId: 'acme' }), item({ secret: true }))).toBe(true);
  });

  it('still need clearance when opted in', () => {
    expect(canSee(reader({ secretOptIn: true, clearance: 'green' }), item({ secret: true, tlp: 'amber' }))).toBe(false);
  });
});

describe('canSee: the provider and the tenant boundary', () => {
  it('shows the provider its own version whatever its clearance and the flags', () => {
    const own = item({ tlp: 'red', secret: true, recipients: ['initech'] });

    expect(canSee(reader({ memberId: 'acme', clearance: 'clear', secretOptIn: false }), own)).toBe(true);
  });

  it('never shows another tenant’s version, even to a member with the same id there', () => {
    const finItem = item({ tlp: 'clear', providerMemberId: 'acme' }, 'fin-isac');

    expect(canSee(reader({ clearance: 'red', isModerator: true, secretOptIn: true }), finItem)).toBe(false);
    expect(canSee(reader({ memberId: 'acme' }), finItem)).toBe(false);
  });
});

describe('canSee: moderators', () => {
  const moderator = (overrides: Partial<ReaderView> = {}) => reader({ memberId: 'secretariat', isModerator: true, ...overrides });

  it('see secret items without opting in (moderation must read what it may remove)', () => {
    expect(canSee(moderator({ secretOptIn: false }), item({ secret: true }))).toBe(true);
  });

  it('are still bound by their clearance', () => {
    expect(canSee(moderator({ clearance: 'amber' }), item({ tlp: 'amber+strict' }))).toBe(false);
  });

  it('do not see TLP:RED they are not named for, even cleared for RED', () => {
    expect(canSee(moderator({ clearance: 'red' }), item({ tlp: 'red', recipients: ['globex'] }))).toBe(false);
    expect(canSee(moderator({ clearance: 'red' }), item({ tlp: 'red', recipients: ['secretariat'] }))).toBe(true);
  });
});

describe('readerView', () => {
  const principal = (role: Principal['role']): Principal => ({ tenantId: 'ics-isac', memberId: 'globex', username: 'g-analyst', role });
  const access = { canRead: true, canWrite: false, clearance: 'amber' as const, canReceiveSamples: false };

  it('takes clearance from the collection grant and the opt-in from the member', () => {
    expect(readerView(principal('analyst'), { secretOptIn: true }, access)).toEqual({
      tenantId: 'ics-isac',
      memberId: 'globex',
      clearance: 'amber',
      secretOptIn: true,
      isModerator: false,
    });
  });

  it.each<[Principal['role'], boolean]>([
    ['tenant-admin', true],
    ['moderator', true],
    ['analyst', false],
    ['reader', false],
    ['submit-only', false],
  ])('treats %s as a moderator: %s', (role, isModerator) => {
    expect(readerView(principal(role), { secretOptIn: false }, access).isModerator).toBe(isModerator);
  });
});

describe('the two meanings of "the latest visible version"', () => {
  const v = (name: string, tlp: Tlp, isLatest = false) => ({ ...item({ tlp }), name, isLatest });
  const greenThenRed = [v('first', 'green'), v('second', 'red', true)];

  it('latestVisible: the newest the reader may see, whatever newer it may not; latestIfVisible: the newest, only if visible', () => {
    expect(latestVisible(reader(), greenThenRed)?.name).toBe('first');
    expect(latestIfVisible(reader(), greenThenRed)).toBeUndefined();
    const greenThenAmber = [v('first', 'green'), v('second', 'amber', true)];
    expect(latestVisible(reader(), greenThenAmber)?.name).toBe('second');
    expect(latestIfVisible(reader(), greenThenAmber)?.name).toBe('second');
  });

  it('latestIfVisible takes the version the store marks latest, not the one added last', () => {
    const lateOlder = [v('newest', 'green', true), v('older, added later', 'red')];
    expect(latestIfVisible(reader(), lateOlder)?.name).toBe('newest');
    expect(latestVisible(reader(), [])).toBeUndefined();
  });
});
