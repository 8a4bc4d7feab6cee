/**
 * Object keys in the attachments and samples buckets: random, never derived from a name or an id members see.
 * Uploads land under UPLOAD_PREFIX and move out only once verified, so the buckets expire whatever was uploaded
 * but never verified (infra/topology.ts `unverifiedUploadPrefix`): an abandoned slot cannot keep storage.
 */
export const UPLOAD_PREFIX = 'incoming/';

export const uploadKey = (random: string): string => `${UPLOAD_PREFIX}${random}`;

/** A verified attachment as uploaded; a sample only as its encrypted zip. */
export const storedKey = (kind: 'attachment' | 'sample', random: string): string =>
  `${kind === 'attachment' ? 'files' : 'zipped'}/${random}`;
