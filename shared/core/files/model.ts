import { z } from 'zod';
import { TlpSchema } from '../policy/tlp';
import type { AccessScope } from '../taxii/model';

/**
 * Files shared next to STIX objects. Attachments (reports, spreadsheets) go to the attachments bucket; malware
 * samples come only through their own intake, live in their own bucket under their own key, and leave only as an
 * encrypted zip to members granted them (BRIEF; design guide "dedicated intake").
 */
export type FileKind = 'attachment' | 'sample';

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

export interface FileLimits {
  /** Largest file of the kind; larger ones are refused before anything is uploaded. */
  maxBytes: Record<FileKind, number>;
  /** Bytes of attachments and samples a tenant may keep, unless the tenant has its own quota. */
  defaultTenantQuotaBytes: number;
  /** Files above this go by multipart upload (S3 takes at most 5 GiB in one PUT). */
  multipartThresholdBytes: number;
}

export const DEFAULT_FILE_LIMITS: FileLimits = {
  // Verification hashes the file inside an API call of at most 29 s; samples are zipped in memory.
  maxBytes: { attachment: 512 * MiB, sample: 32 * MiB },
  defaultTenantQuotaBytes: 50 * GiB,
  multipartThresholdBytes: 100 * MiB,
};

/** S3's smallest part but the last, and its most parts per upload. */
export const MIN_PART_BYTES = 5 * MiB;
export const MAX_PARTS = 10_000;
/** How long an upload slot stays open, and a presigned URL valid. */
export const UPLOAD_SLOT_SECONDS = 3600;
export const UPLOAD_URL_SECONDS = 900;
export const DOWNLOAD_URL_SECONDS = 300;

/** The community convention for malware zips (the password is a warning label, not a secret). */
export const SAMPLE_ZIP_PASSWORD = 'infected';
export const SAMPLE_MEDIA_TYPE = 'application/zip';

const Sha256Schema = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, "must be the file's SHA-256 as 64 hex digits")
  .transform((s) => s.toLowerCase());

const MediaTypeSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i, 'must be a media type such as application/pdf')
  .transform((s) => s.toLowerCase());

const commonSlotFields = {
  file_name: z.string().min(1, 'must name the file').max(1024),
  size: z.number().int().min(1, 'must be the file size in bytes, at least 1'),
  sha256: Sha256Schema,
  /** The file's TLP; the collection's default when absent. */
  tlp: TlpSchema.optional(),
  /** As x_kyoyu_recipients on objects: who besides the provider reads a TLP:RED file. */
  recipients: z.array(z.string().min(1)).max(1000).optional(),
  secret: z.boolean().optional(),
  /** Ask for a multipart upload even below the threshold (files above it always are). */
  multipart: z.boolean().optional(),
};

export const AttachmentSlotRequestSchema = z.object({ ...commonSlotFields, media_type: MediaTypeSchema }).strict();

export const SampleSlotRequestSchema = z
  .object({
    ...commonSlotFields,
    malware: z.literal(true, {
      error: 'samples are accepted only with "malware": true, declaring that the file is malware; share documents as attachments',
    }),
  })
  .strict();

export const CompleteUploadRequestSchema = z
  .object({
    /** Multipart uploads: every part's number and the ETag S3 answered its PUT with. */
    parts: z
      .array(z.object({ part_number: z.number().int().min(1).max(MAX_PARTS), etag: z.string().min(1) }).strict())
      .min(1)
      .optional(),
  })
  .strict();

/** pending → verified (checked and charged to the quota) → available (stored and described); or rejected, deleted. */
export type FileState = 'pending' | 'verified' | 'available' | 'rejected' | 'deleted';

export interface FileHashes {
  md5: string;
  sha1: string;
  sha256: string;
}

/** One attachment or sample, as the files table keeps it. */
export interface StoredFile {
  tenantId: string;
  collectionId: string;
  id: string;
  kind: FileKind;
  state: FileState;
  /** The sanitised name after the anonymize rules: the only name ever stored or shown. */
  fileName: string;
  /** The declared type of an attachment; samples are always delivered as SAMPLE_MEDIA_TYPE. */
  mediaType: string;
  size: number;
  /** Declared by the uploader; checked against the upload. */
  sha256: string;
  access: AccessScope;
  /** Where the verified file is kept (keys.ts): the file itself, or a sample's encrypted zip. */
  objectKey: string;
  /** Where the upload lands and waits for verification (keys.ts); emptied once verified. */
  uploadKey: string;
  multipartUploadId?: string;
  createdAt: string;
  completedAt?: string;
  /** Epoch seconds after which a slot nobody completed disappears (table TTL). */
  expiresAt?: number;
  /** Why verification refused the upload. */
  rejection?: string;
  deletedAt?: string;
  hashes?: FileHashes;
  /** Samples: SHA-256 and size of the encrypted zip a download delivers. */
  zip?: { sha256: string; size: number };
  /** The STIX objects that describe the file, and the TAXII status of their submission. */
  stixIds?: string[];
  statusId?: string;
  /** Samples: members the provider or a moderator granted this one sample. */
  sampleRecipients: string[];
}
