import { getVersions } from '../../shared/core/taxii/read-objects';
import { taxiiReadRoute } from '../../shared/runtime/taxii-read-route';

/** GET /{tenant}/collections/{collectionId}/objects/{objectId}/versions/ — TAXII 2.1 §5.8 */
export const handler = taxiiReadRoute('versions', getVersions);
