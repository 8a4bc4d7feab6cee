import { sampleRecipientsRoute } from '../../shared/runtime/file-routes';

/** PUT / DELETE /{tenant}/collections/{collectionId}/samples/{fileId}/recipients/{memberId}/ */
export const handler = sampleRecipientsRoute();
