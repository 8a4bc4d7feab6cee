import { fileDownloadRoute } from '../../shared/runtime/file-routes';

/** GET /{tenant}/collections/{collectionId}/attachments/{fileId}/ and …/content/ */
export const handler = fileDownloadRoute('attachment');
