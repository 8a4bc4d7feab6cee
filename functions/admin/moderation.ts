import { isOperator, type Caller, type Principal } from '../../shared/core/directory/model';
import { ForbiddenError, NotFoundError } from '../../shared/core/errors';
import { randomUUID } from 'node:crypto';
import { decideAsItsProvider, decideItem, listQueue, providerItems, repostItem, showItem } from '../../shared/core/moderation/moderate';
import { setPosting } from '../../shared/core/moderation/posting';
import { adminDeps, moderationDeps } from '../../shared/runtime/admin-deps';
import { adminRoute } from '../../shared/runtime/http';

const memberOnly = (caller: Caller): Principal => {
  if (isOperator(caller)) throw new ForbiddenError('Moderation is done by the tenant’s moderators; operators do not read members’ items');
  return caller;
};

const deps = moderationDeps;

/**
 * …/moderation (the queue), …/moderation/{item} and …/moderation/{item}/decision for moderators; …/reviews and
 * …/reviews/{item} for the provider of an item; …/members/{member}/posting to suspend a member's posting (issue #14).
 */
export const handler = adminRoute({
  GET: async ({ caller, path, params, pathParameters: { tenant, item } }, c) => {
    const principal = memberOnly(caller);
    if (/\/reviews\/?$/.test(path)) return { status: 200, body: await providerItems(principal, tenant!, deps(c)) };
    if (item) return { status: 200, body: await showItem(principal, tenant!, item, deps(c)) };
    return { status: 200, body: await listQueue(principal, tenant!, params, deps(c)) };
  },
  POST: async ({ caller, path, json, pathParameters: { tenant, item } }, c) => {
    const principal = memberOnly(caller);
    if (/\/moderation\/repost\/?$/.test(path))
      return { status: 200, body: await repostItem(principal, tenant!, json, { ...deps(c), newId: randomUUID }) };
    if (/\/moderation\/[^/]+\/decision\/?$/.test(path))
      return { status: 200, body: await decideItem(principal, tenant!, item!, json, deps(c)) };
    if (/\/reviews\/[^/]+\/?$/.test(path))
      return { status: 200, body: await decideAsItsProvider(principal, tenant!, item!, json, deps(c)) };
    throw new NotFoundError(`No such moderation action: ${path}`);
  },
  PUT: async ({ caller, json, pathParameters: { tenant, member } }, c) => ({
    status: 200,
    body: await setPosting(memberOnly(caller), tenant!, member!, json, adminDeps(c)),
  }),
});
