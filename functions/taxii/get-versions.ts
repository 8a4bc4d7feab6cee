import { getVersions } from '../../shared/core/taxii/read-objects';
import { auditRead } from '../../shared/runtime/audit-read';
import { taxiiRoute } from '../../shared/runtime/http';

/** GET /{tenant}/collections/{collectionId}/objects/{objectId}/versions/ — TAXII 2.1 §5.8 */
export const handler = taxiiRoute(async (request, c) => {
  const { tenant, collectionId, objectId } = request.pathParameters;
  const { body, headers } = await getVersions(
    { principal: request.principal, tenantId: tenant!, collectionId: collectionId!, objectId: objectId!, query: request.query },
    { directory: c.directory, objects: c.objects, cursorKeys: c.cursorKeys },
  );
  await auditRead(request, c, 'versions', body);
  return { status: 200, body, headers };
});
