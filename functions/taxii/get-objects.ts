import { getObjects } from '../../shared/core/taxii/read-objects';
import { auditRead } from '../../shared/runtime/audit-read';
import { taxiiRoute } from '../../shared/runtime/http';

/** GET /{tenant}/collections/{collectionId}/objects/ — TAXII 2.1 §5.4 */
export const handler = taxiiRoute(async (request, c) => {
  const { body, headers } = await getObjects(
    { principal: request.principal, tenantId: request.pathParameters.tenant!, collectionId: request.pathParameters.collectionId!, query: request.query },
    { directory: c.directory, objects: c.objects, cursorKeys: c.cursorKeys },
  );
  await auditRead(request, c, 'objects', body);
  return { status: 200, body, headers };
});
