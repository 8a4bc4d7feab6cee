import { getManifest } from '../../shared/core/taxii/read-objects';
import { auditRead } from '../../shared/runtime/audit-read';
import { taxiiRoute } from '../../shared/runtime/http';

/** GET /{tenant}/collections/{collectionId}/manifest/ — TAXII 2.1 §5.3 */
export const handler = taxiiRoute(async (request, c) => {
  const { body, headers } = await getManifest(
    { principal: request.principal, tenantId: request.pathParameters.tenant!, collectionId: request.pathParameters.collectionId!, query: request.query },
    { directory: c.directory, objects: c.objects, cursorKeys: c.cursorKeys },
  );
  await auditRead(request, c, 'manifest', body);
  return { status: 200, body, headers };
});
