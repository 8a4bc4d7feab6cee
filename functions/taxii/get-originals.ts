import { getOriginals } from '../../shared/core/taxii/get-originals';
import { taxiiRoute } from '../../shared/runtime/http';

/** GET /{tenant}/collections/{collectionId}/objects/{objectId}/originals/ — the provider's submission, before anonymisation */
export const handler = taxiiRoute(async (request, c) => {
  const { tenant, collectionId, objectId } = request.pathParameters;
  return {
    status: 200,
    body: await getOriginals(
      { principal: request.principal, tenantId: tenant!, collectionId: collectionId!, objectId: objectId! },
      { directory: c.directory, originals: c.sealed, audit: c.audit, mac: c.auditMac, now: Date.now },
    ),
  };
});
