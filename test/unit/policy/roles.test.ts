import { RoleSchema } from '../../../shared/core/directory/model';
import { isModeratingRole, mayDelete, narrowByRole } from '../../../shared/core/policy/roles';

const ROLES = RoleSchema.options;
const FULL = { canRead: true, canWrite: true, clearance: 'red', canReceiveSamples: true } as const;

describe('roles', () => {
  it('has exactly moderators and tenant admins moderate a tenant', () => {
    const moderating = ROLES.filter(isModeratingRole);

    expect(moderating).toEqual(['tenant-admin', 'moderator']);
  });

  it('lets the provider of every selected version, or a moderating role, delete (TAXII 2.1 §5.7)', () => {
    const decisions = ROLES.map((role) => [
      role,
      mayDelete(role, 'kanto', ['kanto']),
      mayDelete(role, 'kanto', ['kanto', 'tohoku']),
      mayDelete(role, 'kanto', []),
    ]);

    expect(decisions).toEqual([
      ['tenant-admin', true, true, true],
      ['moderator', true, true, true],
      ['analyst', true, false, false],
      ['reader', false, false, false],
      ['submit-only', true, false, false],
    ]);
  });

  it('narrows what grants allow: readers never write, submit-only users never read', () => {
    const narrowed = ROLES.map((role) => [role, narrowByRole(FULL, role)]);

    expect(narrowed).toEqual([
      ['tenant-admin', FULL],
      ['moderator', FULL],
      ['analyst', FULL],
      ['reader', { ...FULL, canWrite: false }],
      ['submit-only', { ...FULL, canRead: false, clearance: 'clear', canReceiveSamples: false }],
    ]);
  });
});
