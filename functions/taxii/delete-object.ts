import { samenessOf } from '../../shared/core/pipeline/observables';
import { deleteObject } from '../../shared/core/taxii/delete-object';
import { TAXII_MEDIA_TYPE } from '../../shared/core/taxii/media-types';
import { taxiiRoute } from '../../shared/runtime/http';

/** DELETE /{tenant}/collections/{collectionId}/objects/{objectId}/ — TAXII 2.1 §5.7 */
export const handler = taxiiRoute(async (request, c) => {
  const { tenant, collectionId, objectId } = request.pathParameters;
  await deleteObject(
    { principal: request.principal, tenantId: tenant!, collectionId: collectionId!, objectId: objectId!, query: request.query },
    {
      directory: c.directory,
      objects: c.objects,
      cursorKeys: await c.secretList('cursor'),
      audit: c.audit,
      mac: c.auditMac,
      now: Date.now,
      originals: c.originalsEraser,
      corroboration: c.corroboration,
      samenessOf,
    },
  );
  // TAXII 2.1 §5.7 defines no body for the 200; the media type is still the TAXII one, as on every response.
  return { status: 200, headers: { 'Content-Type': TAXII_MEDIA_TYPE } };
});
