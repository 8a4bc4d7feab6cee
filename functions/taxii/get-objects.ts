import { getObjects } from '../../shared/core/taxii/read-objects';
import { taxiiReadRoute } from '../../shared/runtime/taxii-read-route';

/** GET /{tenant}/collections/{collectionId}/objects/ — TAXII 2.1 §5.4 */
export const handler = taxiiReadRoute('objects', getObjects);
