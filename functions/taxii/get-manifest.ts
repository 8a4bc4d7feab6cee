import { getManifest } from '../../shared/core/taxii/read-objects';
import { taxiiReadRoute } from '../../shared/runtime/taxii-read-route';

/** GET /{tenant}/collections/{collectionId}/manifest/ — TAXII 2.1 §5.3 */
export const handler = taxiiReadRoute('manifest', getManifest);
