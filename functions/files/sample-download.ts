import { fileDownloadRoute } from '../../shared/runtime/file-routes';

/** GET /{tenant}/collections/{collectionId}/samples/{fileId}/ and …/content/ (an encrypted zip) */
export const handler = fileDownloadRoute('sample');
