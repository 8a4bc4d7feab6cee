import { fileUploadRoute } from '../../shared/runtime/file-routes';

/** POST /{tenant}/collections/{collectionId}/samples/ and …/samples/{fileId}/complete/ — the dedicated intake for malware */
export const handler = fileUploadRoute('sample');
