import type { ReadDeps } from '../core/taxii/read-objects';
import type { QueryParameters } from '../core/taxii/query';
import type { Principal } from '../core/directory/model';
import { auditRead } from './audit-read';
import { taxiiRoute } from './http';

interface ReadRequest {
  principal: Principal;
  tenantId: string;
  collectionId: string;
  objectId: string;
  query: QueryParameters;
}

/**
 * The read endpoints (objects, object, versions, manifest) differ only in their use case: each is parsed the same
 * way, answered with the page and its date_added headers, and audited (which collection, how many objects).
 */
export function taxiiReadRoute(
  endpoint: string,
  read: (request: ReadRequest, deps: ReadDeps) => Promise<{ body: unknown; headers: Record<string, string> }>,
) {
  return taxiiRoute(async (request, c) => {
    const { tenant, collectionId, objectId } = request.pathParameters;
    const { body, headers } = await read(
      { principal: request.principal, tenantId: tenant!, collectionId: collectionId!, objectId: objectId ?? '', query: request.query },
      { directory: c.directory, objects: c.objects, cursorKeys: await c.secretList('cursor') },
    );
    await auditRead(request, c, endpoint, body);
    return { status: 200, body, headers };
  });
}
