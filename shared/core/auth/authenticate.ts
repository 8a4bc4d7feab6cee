import { UnauthorizedError } from '../errors';
import type { Principal } from '../directory/model';
import type { DirectoryStore } from '../ports';
import { hashPassword, verifyPassword } from './passwords';

export interface BasicCredentials {
  username: string;
  password: string;
}

/** RFC 7617. Any malformed header is an authentication failure, never a 400: clients retry with credentials. */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials {
  const match = /^\s*Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) {
    throw new UnauthorizedError('Send HTTP Basic credentials: Authorization: Basic base64(username:password)');
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new UnauthorizedError('The Basic credentials are not of the form username:password');
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

const INVALID = 'Unknown user or wrong password';

let decoy: Promise<string> | undefined;
const timingDecoy = (): Promise<string> => (decoy ??= hashPassword('kyoyu-timing-decoy'));

/**
 * Establishes who is calling. The same description answers an unknown user and a wrong password, so the
 * response does not reveal which usernames exist; suspended users, members and tenants cannot authenticate.
 */
export async function authenticate(
  authorizationHeader: string | undefined,
  deps: { directory: DirectoryStore },
): Promise<Principal> {
  const { username, password } = parseBasicAuthorization(authorizationHeader);
  const user = await deps.directory.getUser(username);
  // An unknown user costs the same scrypt as a known one, so timing does not reveal which usernames exist.
  const verified = await verifyPassword(password, user?.passwordHash ?? (await timingDecoy()));
  if (!user || !verified) throw new UnauthorizedError(INVALID);
  if (user.status !== 'active') throw new UnauthorizedError(`User ${username} is suspended`);
  const [member, tenant] = await Promise.all([
    deps.directory.getMember(user.tenantId, user.memberId),
    deps.directory.getTenant(user.tenantId),
  ]);
  if (!tenant || tenant.status !== 'active') throw new UnauthorizedError(`The tenant of ${username} is not active`);
  if (!member || member.status !== 'active') throw new UnauthorizedError(`The member organisation of ${username} is not active`);
  return { tenantId: user.tenantId, memberId: user.memberId, username: user.username, role: user.role };
}
