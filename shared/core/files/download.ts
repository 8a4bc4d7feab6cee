import type { Principal } from '../directory/model';
import { ForbiddenError, NotFoundError } from '../errors';
import { existingMember } from '../policy/admin-access';
import { assertCanRead } from '../policy/collection-access';
import { isModeratingRole } from '../policy/roles';
import { recordChange } from '../audit/record';
import { collectionContext, type CollectionContext } from '../taxii/collections';
import { recordFileEvent } from './audit';
import { attachmentDisposition } from './file-name';
import { DOWNLOAD_URL_SECONDS, SAMPLE_MEDIA_TYPE, type FileKind, type StoredFile } from './model';
import { fileIn, fileNotFound, fileResource, isFileSeenBy, type FileResource } from './resource';
import type { FileDeps, FileRequest } from './upload';

type ReadDeps = Pick<FileDeps, 'directory' | 'files' | 'storage' | 'audit' | 'mac' | 'now'>;

/** The file a member asks about, if it sees it (isFileSeenBy); a member that may only write the collection gets 403. */
async function visibleFile(
  kind: FileKind,
  request: FileRequest & { fileId: string },
  deps: ReadDeps,
): Promise<{ file: StoredFile; context: CollectionContext }> {
  const context = await collectionContext(request.principal, request.tenantId, request.collectionId, deps);
  assertCanRead(context.access, request.collectionId);
  const file = await deps.files.get(request.tenantId, request.fileId);
  if (!fileIn(file, kind, request.collectionId) || !isFileSeenBy(context, file)) throw fileNotFound(kind, request.fileId);
  return { file, context };
}

/**
 * Samples are not distributed by default (BRIEF): beyond seeing the file's description, a member needs a
 * sample-recipient grant on the collection or on this sample. The provider keeps access to its own.
 */
function maySampleBeDelivered(file: StoredFile, principal: Principal, context: CollectionContext): boolean {
  return (
    file.access.providerMemberId === principal.memberId ||
    context.access.canReceiveSamples ||
    file.sampleRecipients.includes(principal.memberId)
  );
}

/** GET …/{id}/: the file's description, and whether this member may download it. */
export async function describeFile(
  kind: FileKind,
  request: FileRequest & { fileId: string },
  deps: ReadDeps,
): Promise<FileResource & { can_download: boolean }> {
  const { file, context } = await visibleFile(kind, request, deps);
  return {
    ...fileResource(file, request.baseUrl),
    can_download: kind === 'attachment' || maySampleBeDelivered(file, request.principal, context),
  };
}

/**
 * GET …/{id}/content/: audits the download, then answers a short-lived presigned GET that saves the file
 * (Content-Disposition: attachment). A sample is only ever its encrypted zip. No audit entry, no URL.
 */
export async function downloadFile(
  kind: FileKind,
  request: FileRequest & { fileId: string },
  deps: ReadDeps,
): Promise<{ url: string; expires: string; file: FileResource }> {
  const { principal } = request;
  const { file, context } = await visibleFile(kind, request, deps);
  if (kind === 'sample' && !maySampleBeDelivered(file, principal, context)) {
    throw new ForbiddenError(
      `Sample ${file.id} is shared by its hashes only; downloading it needs a sample-recipient grant on the collection or on this sample (ask a moderator)`,
    );
  }
  await recordFileEvent(principal, file, 'download', {}, deps);
  const nowMs = deps.now();
  const deliveredName = kind === 'sample' ? `${file.sha256}.zip` : file.fileName;
  const url = await deps.storage.presignGet(
    kind,
    file.objectKey,
    { contentType: kind === 'sample' ? SAMPLE_MEDIA_TYPE : file.mediaType, contentDisposition: attachmentDisposition(deliveredName) },
    DOWNLOAD_URL_SECONDS,
  );
  return { url, expires: new Date(nowMs + DOWNLOAD_URL_SECONDS * 1000).toISOString(), file: fileResource(file, request.baseUrl) };
}

/**
 * PUT / DELETE …/samples/{id}/recipients/{member}/: grants one member one sample. The provider may share its own
 * sample further; moderators and the tenant admin may for any sample. Audited like every grant.
 */
export async function setSampleRecipient(
  request: FileRequest & { fileId: string; memberId: string; granted: boolean },
  deps: ReadDeps & Pick<FileDeps, 'files'>,
): Promise<FileResource & { recipients: string[] }> {
  const { principal } = request;
  const { file } = await visibleFile('sample', request, deps);
  if (!isModeratingRole(principal.role) && file.access.providerMemberId !== principal.memberId) {
    throw new ForbiddenError(`Only the provider of sample ${file.id}, a moderator or the tenant admin may grant it`);
  }
  if (request.granted) await existingMember(request.tenantId, request.memberId, deps);
  else if (!file.sampleRecipients.includes(request.memberId))
    throw new NotFoundError(`Member ${request.memberId} holds no grant on sample ${file.id}`);
  const recipients = request.granted
    ? [...new Set([...file.sampleRecipients, request.memberId])].sort()
    : file.sampleRecipients.filter((m) => m !== request.memberId);
  await deps.files.put({ ...file, sampleRecipients: recipients });
  await recordChange(
    principal,
    {
      chain: request.tenantId,
      action: request.granted ? 'sample-grant.create' : 'sample-grant.delete',
      target: { type: 'sample-grant', id: `${file.id}/member:${request.memberId}` },
      before: { recipients: file.sampleRecipients },
      after: { recipients },
    },
    deps,
  );
  return { ...fileResource({ ...file, sampleRecipients: recipients }, request.baseUrl), recipients };
}
