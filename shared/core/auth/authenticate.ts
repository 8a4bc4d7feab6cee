import { AuthenticationFailedError, UnauthorizedError } from '../errors';
import { UserSchema, type Caller, type Principal } from '../directory/model';
import { parseApiKey } from '../directory/api-keys';
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

/**
 * Basic (RFC 7617), or an API key as `Bearer <key>` or `Token <key>` (TAXII-CLIENTS #3). An API key sent as the
 * Basic password counts as the key whatever the username (Sentinel only has username and password, #4).
 */
export function parseCredentials(
  header: string | undefined,
): { kind: 'password'; username: string; password: string } | { kind: 'key'; keyId: string; secret: string } {
  const token = /^\s*(?:Bearer|Token)\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
  if (token !== undefined) {
    const key = parseApiKey(token);
    if (!key) throw new UnauthorizedError('The bearer token is not a Kyoyu API key (kyk_…)');
    return { kind: 'key', ...key };
  }
  const { username, password } = parseBasicAuthorization(header);
  const key = parseApiKey(password);
  return key ? { kind: 'key', ...key } : { kind: 'password', username, password };
}

const INVALID = 'Unknown user or wrong password';
const INVALID_KEY = 'Unknown, revoked or wrong API key';

let decoy: Promise<string> | undefined;
const timingDecoy = (): Promise<string> => (decoy ??= hashPassword('kyoyu-timing-decoy'));

const expired = (expiresAt: string | undefined, nowMs: number): boolean => expiresAt !== undefined && Date.parse(expiresAt) <= nowMs;

/** The tenant and member behind a credential must both be active: suspension takes effect on the next request. */
async function assertActiveMembership(
  account: { tenantId: string; memberId: string },
  name: string,
  deps: { directory: DirectoryStore },
): Promise<void> {
  const [member, tenant] = await Promise.all([
    deps.directory.getMember(account.tenantId, account.memberId),
    deps.directory.getTenant(account.tenantId),
  ]);
  const fail = (description: string) =>
    new AuthenticationFailedError(description, { username: name, tenantId: account.tenantId, memberId: account.memberId });
  if (tenant?.status !== 'active') throw fail(`The tenant of ${name} is not active`);
  if (member?.status !== 'active') throw fail(`The member organisation of ${name} is not active`);
}

async function authenticateKey(keyId: string, secret: string, deps: { directory: DirectoryStore; now: () => number }): Promise<Principal> {
  const key = await deps.directory.getApiKey(keyId);
  const verified = await verifyPassword(secret, key?.secretHash ?? (await timingDecoy()));
  if (!key || !verified)
    throw new AuthenticationFailedError(
      INVALID_KEY,
      key ? { username: keyId, tenantId: key.tenantId, memberId: key.memberId } : { username: keyId },
    );
  const attempt = { username: keyId, tenantId: key.tenantId, memberId: key.memberId };
  if (key.status !== 'active') throw new AuthenticationFailedError(`API key ${keyId} is suspended`, attempt);
  if (expired(key.expiresAt, deps.now())) throw new AuthenticationFailedError(`API key ${keyId} expired at ${key.expiresAt}`, attempt);
  await assertActiveMembership(key, keyId, deps);
  return { tenantId: key.tenantId, memberId: key.memberId, username: keyId, role: key.role };
}

/**
 * Establishes who is calling. The same description answers an unknown user and a wrong password, so the
 * response does not reveal which usernames exist; suspended or expired credentials, and those of suspended
 * members and tenants, cannot authenticate. Failures carry what is known of the attempt, for the audit log.
 */
export async function authenticate(
  authorizationHeader: string | undefined,
  deps: { directory: DirectoryStore; now?: () => number },
): Promise<Caller> {
  const credentials = parseCredentials(authorizationHeader);
  const now = deps.now ?? Date.now;
  if (credentials.kind === 'key') return authenticateKey(credentials.keyId, credentials.secret, { directory: deps.directory, now });
  const { password } = credentials;
  // A name no account can have is never looked up: a 10 KB one would exceed the directory's key size and fail the
  // authorizer (502) instead of answering 401. It still costs the scrypt below, like any unknown user.
  const possible = UserSchema.shape.username.safeParse(credentials.username).success;
  const username = possible ? credentials.username : `${credentials.username.slice(0, 128)}…`;
  const user = possible ? await deps.directory.getUser(username) : undefined;
  const operator = user || !possible ? undefined : await deps.directory.getOperator(username);
  const account = user ?? operator;
  // An unknown user costs the same scrypt as a known one, so timing does not reveal which usernames exist.
  const verified = await verifyPassword(password, account?.passwordHash ?? (await timingDecoy()));
  const attempt = user ? { username, tenantId: user.tenantId, memberId: user.memberId } : { username };
  if (!account || !verified) throw new AuthenticationFailedError(INVALID, attempt);
  if (account.status !== 'active') throw new AuthenticationFailedError(`User ${username} is suspended`, attempt);
  if (!user) return { role: 'operator', username: account.username };
  if (expired(user.expiresAt, now()))
    throw new AuthenticationFailedError(
      `The password of ${username} expired at ${user.expiresAt}; ask a tenant admin to rotate it`,
      attempt,
    );
  await assertActiveMembership(user, username, deps);
  return { tenantId: user.tenantId, memberId: user.memberId, username: user.username, role: user.role };
}
