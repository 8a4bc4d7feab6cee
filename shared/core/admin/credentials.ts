import { z } from 'zod';
import { ConflictError, NotFoundError } from '../errors';
import { generatePassword, hashPassword } from '../auth/passwords';
import { ApiKeySchema, newApiKeyId, newApiKeySecret, type ApiKey } from '../directory/api-keys';
import { OperatorSchema, RoleSchema, StatusSchema, UserSchema, type Caller, type Operator, type User } from '../directory/model';
import { recordChange } from '../audit/record';
import { administeredTenant, existingMember } from '../policy/admin-access';
import type { AdminDeps } from './deps';
import { parseInput, parsePatch } from '../input';

/**
 * Users (people, with a password) and API keys (tools, with a key) of a member, each with a role. Secrets are
 * generated here, returned once, and stored only as salted scrypt hashes (auth/passwords.ts). Revoking, suspending
 * or expiring one takes effect on the next request the authorizer evaluates.
 */

const ExpiresSchema = z.iso.datetime().nullable().optional();
export const NewUserSchema = z
  .object({ username: UserSchema.shape.username, role: RoleSchema, expiresAt: z.iso.datetime().optional() })
  .strict();
export const UserPatchSchema = z
  .object({ role: RoleSchema.optional(), status: StatusSchema.optional(), expiresAt: ExpiresSchema })
  .strict();
export const RotateSchema = z.object({ expiresAt: z.iso.datetime().optional() }).strict();
export const NewKeySchema = z
  .object({ name: z.string().min(1).max(200), role: RoleSchema, expiresAt: z.iso.datetime().optional() })
  .strict();
export const KeyPatchSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    role: RoleSchema.optional(),
    status: StatusSchema.optional(),
    expiresAt: ExpiresSchema,
  })
  .strict();

export type UserView = Omit<User, 'passwordHash'>;
export type ApiKeyView = Omit<ApiKey, 'secretHash'>;

const userView = ({ passwordHash: _, ...user }: User): UserView => user;
const keyView = ({ secretHash: _, ...key }: ApiKey): ApiKeyView => key;

/** `expiresAt: null` in a patch clears the expiry. */
function patched<T extends { expiresAt?: string }>(before: T, patch: Partial<Omit<T, 'expiresAt'>> & { expiresAt?: string | null }): T {
  const { expiresAt, ...rest } = patch;
  const after = { ...before, ...rest } as T;
  if (expiresAt === null) delete after.expiresAt;
  else if (expiresAt !== undefined) after.expiresAt = expiresAt;
  return after;
}

async function memberScope(caller: Caller, tenantId: string, memberId: string, deps: AdminDeps): Promise<void> {
  await administeredTenant(caller, tenantId, deps);
  await existingMember(tenantId, memberId, deps);
}

async function existingUser(tenantId: string, memberId: string, username: string, deps: AdminDeps): Promise<User> {
  const user = await deps.directory.getUser(username);
  if (!user || user.tenantId !== tenantId || user.memberId !== memberId)
    throw new NotFoundError(`No user ${username} in member ${memberId}`);
  return user;
}

async function existingKey(tenantId: string, memberId: string, keyId: string, deps: AdminDeps): Promise<ApiKey> {
  const key = await deps.directory.getApiKey(keyId);
  if (!key || key.tenantId !== tenantId || key.memberId !== memberId) throw new NotFoundError(`No API key ${keyId} in member ${memberId}`);
  return key;
}

const userTarget = (username: string) => ({ type: 'user', id: username });
const keyTarget = (keyId: string) => ({ type: 'api-key', id: keyId });

/** Usernames are global (Basic credentials arrive before any tenant is known), so a taken one is a 409 here too. */
export async function createUser(caller: Caller, tenantId: string, memberId: string, body: unknown, deps: AdminDeps) {
  await memberScope(caller, tenantId, memberId, deps);
  const input = parseInput(NewUserSchema, body);
  const password = generatePassword();
  const user = UserSchema.parse({ ...input, tenantId, memberId, passwordHash: await hashPassword(password), status: 'active' });
  if ((await deps.directory.createUser(user)) === 'exists') throw new ConflictError(`Username ${user.username} is taken`);
  await recordChange(caller, { chain: tenantId, action: 'user.create', target: userTarget(user.username), after: user }, deps);
  return { user: userView(user), password };
}

export async function listUsers(caller: Caller, tenantId: string, memberId: string, deps: AdminDeps) {
  await memberScope(caller, tenantId, memberId, deps);
  return { users: (await deps.directory.usersOfMember(tenantId, memberId)).map(userView) };
}

export async function updateUser(caller: Caller, tenantId: string, memberId: string, username: string, body: unknown, deps: AdminDeps) {
  await memberScope(caller, tenantId, memberId, deps);
  const before = await existingUser(tenantId, memberId, username, deps);
  const after = UserSchema.parse(patched(before, parsePatch(UserPatchSchema, body)));
  await deps.directory.putUser(after);
  await recordChange(caller, { chain: tenantId, action: 'user.update', target: userTarget(username), before, after }, deps);
  return userView(after);
}

export async function deleteUser(caller: Caller, tenantId: string, memberId: string, username: string, deps: AdminDeps): Promise<void> {
  await memberScope(caller, tenantId, memberId, deps);
  const before = await existingUser(tenantId, memberId, username, deps);
  await deps.directory.deleteUser(username);
  await recordChange(caller, { chain: tenantId, action: 'user.delete', target: userTarget(username), before }, deps);
}

/** A new password (shown once); the old one stops working at once. */
export async function rotatePassword(caller: Caller, tenantId: string, memberId: string, username: string, body: unknown, deps: AdminDeps) {
  await memberScope(caller, tenantId, memberId, deps);
  const before = await existingUser(tenantId, memberId, username, deps);
  const { expiresAt } = parseInput(RotateSchema, body ?? {});
  const password = generatePassword();
  const after = UserSchema.parse({ ...patched(before, { expiresAt: expiresAt ?? null }), passwordHash: await hashPassword(password) });
  await deps.directory.putUser(after);
  await recordChange(
    caller,
    { chain: tenantId, action: 'user.rotate', target: userTarget(username), before, after: { ...userView(after), rotated: true } },
    deps,
  );
  return { user: userView(after), password };
}

export async function createKey(caller: Caller, tenantId: string, memberId: string, body: unknown, deps: AdminDeps) {
  await memberScope(caller, tenantId, memberId, deps);
  const input = parseInput(NewKeySchema, body);
  const id = newApiKeyId();
  const { key, secret } = newApiKeySecret(id);
  const record = ApiKeySchema.parse({
    ...input,
    id,
    tenantId,
    memberId,
    secretHash: await hashPassword(secret),
    status: 'active',
    createdAt: new Date(deps.now()).toISOString(),
  });
  if ((await deps.directory.createApiKey(record)) === 'exists') throw new ConflictError(`API key id ${id} collided; try again`);
  await recordChange(caller, { chain: tenantId, action: 'key.create', target: keyTarget(id), after: record }, deps);
  return { key: keyView(record), secret: key };
}

export async function listKeys(caller: Caller, tenantId: string, memberId: string, deps: AdminDeps) {
  await memberScope(caller, tenantId, memberId, deps);
  return { keys: (await deps.directory.apiKeysOfMember(tenantId, memberId)).map(keyView) };
}

export async function updateKey(caller: Caller, tenantId: string, memberId: string, keyId: string, body: unknown, deps: AdminDeps) {
  await memberScope(caller, tenantId, memberId, deps);
  const before = await existingKey(tenantId, memberId, keyId, deps);
  const after = ApiKeySchema.parse(patched(before, parsePatch(KeyPatchSchema, body)));
  await deps.directory.putApiKey(after);
  await recordChange(caller, { chain: tenantId, action: 'key.update', target: keyTarget(keyId), before, after }, deps);
  return keyView(after);
}

/** Revocation deletes the key: nothing can bring it back, and the audit log keeps what it was. */
export async function revokeKey(caller: Caller, tenantId: string, memberId: string, keyId: string, deps: AdminDeps): Promise<void> {
  await memberScope(caller, tenantId, memberId, deps);
  const before = await existingKey(tenantId, memberId, keyId, deps);
  await deps.directory.deleteApiKey(keyId);
  await recordChange(caller, { chain: tenantId, action: 'key.revoke', target: keyTarget(keyId), before }, deps);
}

/** Same key id, new secret (shown once); the old secret stops working at once. */
export async function rotateKey(caller: Caller, tenantId: string, memberId: string, keyId: string, body: unknown, deps: AdminDeps) {
  await memberScope(caller, tenantId, memberId, deps);
  const before = await existingKey(tenantId, memberId, keyId, deps);
  const { expiresAt } = parseInput(RotateSchema, body ?? {});
  const { key, secret } = newApiKeySecret(keyId);
  const after = ApiKeySchema.parse({ ...patched(before, { expiresAt: expiresAt ?? null }), secretHash: await hashPassword(secret) });
  await deps.directory.putApiKey(after);
  await recordChange(
    caller,
    { chain: tenantId, action: 'key.rotate', target: keyTarget(keyId), before, after: { ...keyView(after), rotated: true } },
    deps,
  );
  return { key: keyView(after), secret: key };
}

/** Creates or resets a platform operator account (no tenant), as the seed does. */
export async function ensureOperator(username: string, password: string, deps: Pick<AdminDeps, 'directory'>): Promise<Operator> {
  if (await deps.directory.getUser(username)) throw new ConflictError(`Username ${username} belongs to a tenant user`);
  const operator = OperatorSchema.parse({ kind: 'operator', username, passwordHash: await hashPassword(password), status: 'active' });
  await deps.directory.putOperator(operator);
  return operator;
}
