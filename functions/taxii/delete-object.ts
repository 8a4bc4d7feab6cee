import { deleteObject } from '../../shared/core/taxii/read-objects';
import { taxiiRoute } from '../../shared/runtime/http';

/** DELETE /{tenant}/collections/{collectionId}/objects/{objectId}/ — TAXII 2.1 §5.7 */
export const handler = taxiiRoute(async (request, c) => {
  const { tenant, collectionId, objectId } = request.pathParameters;
  await deleteObject(
    { principal: request.principal, tenantId: tenant!, collectionId: collectionId!, objectId: objectId!, query: request.query },
    { directory: c.directory, objects: c.objects, cursorKeys: c.cursorKeys },
  );
  return { status: 200 };
});
