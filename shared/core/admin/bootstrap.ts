import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { generatePassword, hashPassword } from '../auth/passwords';
import { OperatorSchema } from '../directory/model';
import { ConflictError, UnauthorizedError } from '../errors';
import { PLATFORM_CHAIN } from '../audit/entry';
import { recordChange } from '../audit/record';
import type { AdminDeps } from './deps';
import { parseInput } from '../input';

const BootstrapSchema = z.object({ username: OperatorSchema.shape.username }).strict();

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * POST /admin/bootstrap: creates the platform's first operator on a fresh deployment, once. The caller proves it
 * may by sending the bootstrap secret the deployment generated (Secrets Manager on AWS); afterwards operators are
 * created by operators, and this answers 409 for good.
 */
export async function bootstrapOperator(
  givenSecret: string | undefined,
  secrets: readonly string[],
  body: unknown,
  deps: AdminDeps,
): Promise<{ username: string; password: string }> {
  const given = digest(givenSecret ?? '');
  if (!givenSecret || !secrets.some((secret) => timingSafeEqual(digest(secret), given))) {
    throw new UnauthorizedError('Send the deployment bootstrap secret in the X-Kyoyu-Bootstrap-Secret header');
  }
  const { username } = parseInput(BootstrapSchema, body);
  if ((await deps.directory.getUser(username)) || (await deps.directory.getOperator(username))) {
    throw new ConflictError(`Username ${username} is taken`);
  }
  if ((await deps.directory.claimBootstrap(new Date(deps.now()).toISOString())) === 'exists') {
    throw new ConflictError('The platform already has its first operator; operators create the others');
  }
  const password = generatePassword();
  await deps.directory.createOperator(
    OperatorSchema.parse({ kind: 'operator', username, passwordHash: await hashPassword(password), status: 'active' }),
  );
  await recordChange(
    { role: 'operator', username },
    { chain: PLATFORM_CHAIN, action: 'operator.bootstrap', target: { type: 'operator', id: username }, after: { username } },
    deps,
  );
  return { username, password };
}
