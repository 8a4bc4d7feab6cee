import { randomUUID } from 'node:crypto';
import { isOperator, type Caller, type Principal } from '../../shared/core/directory/model';
import { ForbiddenError, NotFoundError } from '../../shared/core/errors';
import { decideTakedown, myTakedowns, openTakedowns, requestTakedown, type TakedownDeps } from '../../shared/core/moderation/takedown';
import type { Container } from '../../shared/runtime/composition-root';
import { adminRoute } from '../../shared/runtime/http';

const memberOnly = (caller: Caller): Principal => {
  if (isOperator(caller)) throw new ForbiddenError('Takedown requests are made and decided by members of the tenant; operators do not read members’ items');
  return caller;
};

const deps = (c: Container): TakedownDeps => ({ directory: c.directory, objects: c.objects, takedowns: c.takedowns, audit: c.audit, now: Date.now, newId: randomUUID });

/** …/takedowns (request; moderators list the open ones), …/takedowns/mine, …/takedowns/{request}/decision (issue #14). */
export const handler = adminRoute({
  GET: async ({ caller, path, pathParameters: { tenant } }, c) => {
    const principal = memberOnly(caller);
    if (/\/takedowns\/mine\/?$/.test(path)) return { status: 200, body: await myTakedowns(principal, tenant!, deps(c)) };
    return { status: 200, body: await openTakedowns(principal, tenant!, deps(c)) };
  },
  POST: async ({ caller, path, json, pathParameters: { tenant, request } }, c) => {
    const principal = memberOnly(caller);
    if (request && /\/decision\/?$/.test(path)) return { status: 200, body: await decideTakedown(principal, tenant!, request, json, deps(c)) };
    if (/\/takedowns\/?$/.test(path)) return { status: 201, body: await requestTakedown(principal, tenant!, json, deps(c)) };
    throw new NotFoundError(`No such takedown action: ${path}`);
  },
});
