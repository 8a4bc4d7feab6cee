import { randomUUID } from 'node:crypto';
import { isOperator, type Caller, type Principal } from '../../shared/core/directory/model';
import { ForbiddenError, NotFoundError } from '../../shared/core/errors';
import { askSupport, listSupport, replySupport, showSupport, type SupportDeps } from '../../shared/core/moderation/support';
import { decideTakedown, myTakedowns, openTakedowns, requestTakedown, type TakedownDeps } from '../../shared/core/moderation/takedown';
import { decideFlag, listFlags, type FlagDeps } from '../../shared/core/search/flags';
import type { Container } from '../../shared/runtime/composition-root';
import { adminRoute } from '../../shared/runtime/http';

const memberOnly = (caller: Caller): Principal => {
  if (isOperator(caller))
    throw new ForbiddenError('Takedown requests are made and decided by members of the tenant; operators do not read members’ items');
  return caller;
};

const deps = (c: Container): TakedownDeps & SupportDeps & FlagDeps => ({
  directory: c.directory,
  objects: c.objects,
  index: c.searchIndex,
  flags: c.flags,
  takedowns: c.takedowns,
  support: c.support,
  audit: c.audit,
  mac: c.auditMac,
  now: Date.now,
  newId: randomUUID,
});

const isSupport = (path: string) => /\/admin\/tenants\/[^/]+\/support(\/|$)/.test(path);
const isFlags = (path: string) => /\/admin\/tenants\/[^/]+\/flags\/?$/.test(path);

/**
 * …/takedowns (request; moderators list the open ones), …/takedowns/mine, …/takedowns/{request}/decision, and the
 * analysis-support threads …/support, …/support/{request}, …/support/{request}/messages (issue #14): requests
 * members make to the hub's moderators; and …/flags, false-positive flags (shared/core/search/flags.ts) that providers
 * and moderators list and moderators confirm or lift (one function: the platform stack is near CloudFormation's 500
 * resources).
 */
export const handler = adminRoute({
  GET: async ({ caller, path, pathParameters: { tenant, request } }, c) => {
    const principal = memberOnly(caller);
    if (isFlags(path)) return { status: 200, body: await listFlags(principal, tenant!, deps(c)) };
    if (isSupport(path))
      return {
        status: 200,
        body: request ? await showSupport(principal, tenant!, request, deps(c)) : await listSupport(principal, tenant!, deps(c)),
      };
    if (/\/takedowns\/mine\/?$/.test(path)) return { status: 200, body: await myTakedowns(principal, tenant!, deps(c)) };
    return { status: 200, body: await openTakedowns(principal, tenant!, deps(c)) };
  },
  POST: async ({ caller, path, json, pathParameters: { tenant, request } }, c) => {
    const principal = memberOnly(caller);
    if (isFlags(path)) return { status: 200, body: await decideFlag(principal, tenant!, json, deps(c)) };
    if (isSupport(path)) {
      return request
        ? { status: 200, body: await replySupport(principal, tenant!, request, json, deps(c)) }
        : { status: 201, body: await askSupport(principal, tenant!, json, deps(c)) };
    }
    if (request && /\/decision\/?$/.test(path))
      return { status: 200, body: await decideTakedown(principal, tenant!, request, json, deps(c)) };
    if (/\/takedowns\/?$/.test(path)) return { status: 201, body: await requestTakedown(principal, tenant!, json, deps(c)) };
    throw new NotFoundError(`No such takedown action: ${path}`);
  },
});
