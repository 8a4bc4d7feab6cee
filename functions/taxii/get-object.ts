import { getObject } from '../../shared/core/taxii/read-objects';
import { taxiiReadRoute } from '../../shared/runtime/taxii-read-route';

/** GET /{tenant}/collections/{collectionId}/objects/{objectId}/ — TAXII 2.1 §5.6 */
export const handler = taxiiReadRoute('object', getObject);
