import { fileUploadRoute } from '../../shared/runtime/file-routes';

/** POST /{tenant}/collections/{collectionId}/attachments/ and …/attachments/{fileId}/complete/ */
export const handler = fileUploadRoute('attachment');
