/**
 * `kyoyu attachment` and `kyoyu sample`: files next to the STIX objects. The API hands out storage URLs; the bytes go
 * straight to and from storage, and both sides check them against their SHA-256.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { arg, defined, one, type CommandGroup, type Context } from '../command';
import type { Connection } from '../connection';
import { CliError } from '../errors';
import { print, progress, type Row } from '../output';
import { collectionId, tenantOf } from '../scope';

type Kind = 'attachments' | 'samples';

const MEDIA_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  csv: 'text/csv',
  txt: 'text/plain',
  json: 'application/json',
  xml: 'application/xml',
  eml: 'message/rfc822',
  pcap: 'application/vnd.tcpdump.pcap',
  zip: 'application/zip',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
};
const mediaTypeOf = (file: string): string => MEDIA_TYPES[extname(file).slice(1).toLowerCase()] ?? 'application/octet-stream';
const sha256Of = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

interface UploadSlot {
  id: string;
  upload: { url?: string; headers?: Record<string, string>; part_size?: number; parts?: Array<{ part_number: number; url: string }> };
}

/** Storage URLs are presigned: no Authorization header, so not through the API client. */
async function putBytes(url: string, data: Uint8Array, headers: Record<string, string> = {}): Promise<Response> {
  const response = await fetch(url, { method: 'PUT', body: data, headers });
  if (!response.ok) throw new CliError(`Upload to storage failed: ${response.status} ${(await response.text()).slice(0, 300)}`);
  return response;
}

/** Where files of a kind live in a collection the caller names by id or title. */
async function filesPath(ctx: Context, c: Connection, kind: Kind): Promise<string> {
  const tenant = await tenantOf(c);
  return `/${tenant}/collections/${await collectionId(c, tenant, ctx.values.collection ?? '')}/${kind}/`;
}

/** Slot, upload straight to storage (in parts when the slot says so), complete: the API verifies and shares. */
async function shareFile(ctx: Context, kind: Kind): Promise<void> {
  const file = arg(ctx, 0, 'FILE');
  if (kind === 'samples' && !ctx.values.malware) {
    throw new CliError(
      'Samples are shared only with --malware, declaring that the file is malware; share documents with `kyoyu attachment share`',
    );
  }
  const data = new Uint8Array(readFileSync(file));
  const c = await ctx.connect();
  const base = await filesPath(ctx, c, kind);
  const slot = await c.api<UploadSlot>(
    'POST',
    base,
    defined({
      file_name: basename(file),
      size: data.length,
      sha256: sha256Of(data),
      media_type: kind === 'attachments' ? (ctx.values['media-type'] ?? mediaTypeOf(file)) : undefined,
      tlp: ctx.values.tlp,
      malware: kind === 'samples' ? true : undefined,
    }),
  );
  let parts: Array<{ part_number: number; etag: string }> | undefined;
  if (slot.upload.parts) {
    const size = slot.upload.part_size!;
    parts = [];
    for (const part of slot.upload.parts) {
      const answered = await putBytes(part.url, data.subarray((part.part_number - 1) * size, part.part_number * size));
      parts.push({ part_number: part.part_number, etag: answered.headers.get('etag') ?? '' });
      progress(part.part_number, slot.upload.parts.length, 'parts');
    }
  } else {
    await putBytes(slot.upload.url!, data, slot.upload.headers);
  }
  const shared = await c.api<Row>('POST', `${base}${slot.id}/complete/`, parts ? { parts } : {});
  const { id, file_name, size, sha256, tlp, url, stix_ids } = shared;
  print(ctx, ctx.json ? shared : { id, file_name, size, sha256, tlp, url, stix_ids });
}

/** The API answers 303 with a short-lived storage URL; the file is fetched from there and checked against its hash. */
async function getFile(ctx: Context, kind: Kind): Promise<void> {
  const fileId = arg(ctx, 0, 'file id');
  const c = await ctx.connect();
  const path = `${await filesPath(ctx, c, kind)}${encodeURIComponent(fileId)}/content/`;
  type Located = { url: string; file: { file_name: string; sha256: string; zip?: { sha256: string } } };
  const download = await c.client.call<Located>('GET', path, { redirect: 'manual', expected: [303] });
  const fetched = await fetch(download.url);
  if (!fetched.ok) throw new CliError(`Download from storage failed: ${fetched.status}`);
  const data = new Uint8Array(await fetched.arrayBuffer());
  const expected = kind === 'samples' ? download.file.zip!.sha256 : download.file.sha256;
  if (sha256Of(data) !== expected) throw new CliError(`The download's SHA-256 is ${sha256Of(data)}, not ${expected}; nothing was saved`);
  const output = ctx.values.output ?? (kind === 'samples' ? `${download.file.sha256}.zip` : download.file.file_name);
  writeFileSync(output, data, { flag: ctx.values.force ? 'w' : 'wx' });
  print(ctx, { saved: output, size: data.length, sha256: expected, ...(kind === 'samples' ? { password: 'infected' } : {}) });
}

const sampleRecipient = (granted: boolean) => async (ctx: Context) => {
  const c = await ctx.connect();
  const sample = encodeURIComponent(arg(ctx, 0, 'sample id'));
  const path = `${await filesPath(ctx, c, 'samples')}${sample}/recipients/${encodeURIComponent(one(ctx.values.member, 'member'))}/`;
  const answer = await c.api<{ id: string; recipients: string[] }>(granted ? 'PUT' : 'DELETE', path);
  print(ctx, { sample: answer.id, recipients: answer.recipients });
};

const IN = '--collection ID|TITLE';

export const attachmentCommands: CommandGroup = {
  share: {
    usage: `attachment share FILE ${IN} [--tlp TLP] [--media-type TYPE]`,
    help: 'Upload a report or other file next to the STIX objects; it is verified, then shared as an artifact.',
    run: (ctx) => shareFile(ctx, 'attachments'),
  },
  get: {
    usage: `attachment get ID ${IN} [--output PATH] [--force]`,
    help: 'Download an attachment (checked against its SHA-256) under its name, or PATH.',
    run: (ctx) => getFile(ctx, 'attachments'),
  },
};

export const sampleCommands: CommandGroup = {
  share: {
    usage: `sample share FILE ${IN} --malware [--tlp TLP]`,
    help: 'Submit a malware sample through the dedicated intake: stored only as an AES zip (password "infected"), shared by its hashes.',
    run: (ctx) => shareFile(ctx, 'samples'),
  },
  get: {
    usage: `sample get ID ${IN} [--output PATH] [--force]`,
    help: 'Download a sample you are a recipient of, as <sha256>.zip (password "infected").',
    run: (ctx) => getFile(ctx, 'samples'),
  },
  grant: {
    usage: `sample grant ID ${IN} --member M`,
    help: 'Let one member download this sample (its provider, moderators, the tenant admin).',
    run: sampleRecipient(true),
  },
  revoke: { usage: `sample revoke ID ${IN} --member M`, help: "Withdraw a member's grant on this sample.", run: sampleRecipient(false) },
};
