import { randomBytes, randomUUID } from 'node:crypto';
import { DEFAULT_FILE_LIMITS, type FileKind } from '../core/files/model';
import { completeUpload, createUploadSlot, deleteFile, type FileDeps, type FileRequest } from '../core/files/upload';
import { describeFile, downloadFile, setSampleRecipient } from '../core/files/download';
import type { Container } from './composition-root';
import { memberJsonRoute, type MemberJsonRequest } from './http';

/**
 * Read from the container when a use case first touches them, not all at once: a download function has no statuses
 * table and no pipeline bucket (infra/topology.ts), and building those would fail it, locally as on AWS.
 */
function fileDeps(c: Container): FileDeps {
  return {
    get directory() {
      return c.directory;
    },
    get statuses() {
      return c.statuses;
    },
    get pipeline() {
      return c.pipeline;
    },
    get files() {
      return c.files;
    },
    get storage() {
      return c.fileStorage;
    },
    get audit() {
      return c.audit;
    },
    mac: c.auditMac,
    limits: DEFAULT_FILE_LIMITS,
    victimsOf: (tenantId) => c.pipelineDirectory.victimsOf(tenantId),
    now: Date.now,
    newId: randomUUID,
    randomKey: () => randomBytes(16).toString('hex'),
  };
}

function fileRequest(request: MemberJsonRequest): FileRequest {
  return {
    principal: request.principal,
    tenantId: request.pathParameters.tenant!,
    collectionId: request.pathParameters.collectionId!,
    baseUrl: request.baseUrl,
  };
}

/**
 * POST …/{kind}s/ opens an upload slot (201); POST …/{kind}s/{fileId}/complete/ verifies and shares the file;
 * DELETE …/{kind}s/{fileId}/ removes it. The functions that write a kind's bucket serve all three.
 */
export function fileUploadRoute(kind: FileKind) {
  return memberJsonRoute({
    POST: async (request, c) => {
      const fileId = request.pathParameters.fileId;
      return fileId === undefined
        ? { status: 201, body: await createUploadSlot(kind, { ...fileRequest(request), body: request.json }, fileDeps(c)) }
        : { status: 200, body: await completeUpload(kind, { ...fileRequest(request), fileId, body: request.json }, fileDeps(c)) };
    },
    DELETE: async (request, c) => ({
      status: 200,
      body: await deleteFile(kind, { ...fileRequest(request), fileId: request.pathParameters.fileId! }, fileDeps(c)),
    }),
  });
}

/**
 * GET …/{kind}s/{fileId}/ describes the file; GET …/content/ answers 303 See Other to a short-lived presigned URL
 * (and the same URL in the body), so `curl -L` and browsers fetch the file straight from the bucket.
 */
export function fileDownloadRoute(kind: FileKind) {
  return memberJsonRoute({
    GET: async (request, c) => {
      const target = { ...fileRequest(request), fileId: request.pathParameters.fileId! };
      if (!request.path.replace(/\/+$/, '').endsWith('/content'))
        return { status: 200, body: await describeFile(kind, target, fileDeps(c)) };
      const download = await downloadFile(kind, target, fileDeps(c));
      return { status: 303, headers: { Location: download.url, 'Cache-Control': 'no-store' }, body: download };
    },
  });
}

/** PUT / DELETE …/samples/{fileId}/recipients/{memberId}/: one member's grant on one sample. */
export function sampleRecipientsRoute() {
  const set = (granted: boolean) => async (request: MemberJsonRequest, c: Container) => ({
    status: 200,
    body: await setSampleRecipient(
      { ...fileRequest(request), fileId: request.pathParameters.fileId!, memberId: request.pathParameters.memberId!, granted },
      fileDeps(c),
    ),
  });
  return memberJsonRoute({ PUT: set(true), DELETE: set(false) });
}
