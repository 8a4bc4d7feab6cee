import { BadRequestError, PayloadTooLargeError } from '../errors';
import type { StixObject } from './model';
import { identifierType } from '../stix/identifier';
import { versionOf } from '../stix/version';

/** One object of a POSTed envelope: usable, or refused with a reason that goes into the status. */
export type EnvelopeItem = { ok: true; object: StixObject } | { ok: false; id: string; version: string; message: string };

function describeJsonError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function checkObject(value: unknown, index: number): EnvelopeItem {
  const where = `objects[${index}]`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      id: `${where}`,
      version: '',
      message: `${where}: must be a STIX object ({…}), got ${Array.isArray(value) ? 'an array' : typeof value}`,
    };
  }
  const record = value as Record<string, unknown>;
  // The id is checked before anything keeps it: a refusal names a text that is not a STIX 2.1 identifier by its
  // place in the envelope instead, so no stored status (and no read of it) ever carries what a client made up.
  const idType = identifierType(record.id);
  const id = idType !== undefined ? (record.id as string) : where;
  const version = versionOf(record, '');
  if (typeof record.type !== 'string' || record.type.length === 0) {
    return { ok: false, id, version, message: `${where}.type: required, a STIX type such as "indicator"` };
  }
  const type = record.type.length <= 250 ? record.type : `${record.type.slice(0, 40)}…`;
  if (typeof record.id !== 'string') return { ok: false, id, version, message: `${where}.id: required, of the form ${type}--<UUID>` };
  // STIX 2.1 §2.9: an RFC 4122 UUID (variant 10xx, version 1–5); upper-case hex is allowed, normalize lower-cases it.
  if (idType === undefined)
    return {
      ok: false,
      id,
      version,
      message: `${where}.id: ${JSON.stringify(record.id.slice(0, 300))} is not of the form ${type}--<RFC 4122 UUID>`,
    };
  if (idType !== record.type)
    return { ok: false, id, version, message: `${where}.id: the id's type "${idType}" differs from type "${type}"` };
  return { ok: true, object: record as StixObject };
}

/**
 * TAXII 2.1 §5.5: the body of "Add Objects" is an envelope. A STIX bundle is accepted too, as Splunk CTIS sends
 * one (TAXII-CLIENTS #23). Envelope-level problems are a 400; a bad object fails alone, in the status.
 */
export function parseEnvelope(body: string | undefined, maxContentLength: number): EnvelopeItem[] {
  if (body !== undefined && Buffer.byteLength(body, 'utf8') > maxContentLength) {
    throw new PayloadTooLargeError(
      `The envelope is larger than max_content_length (${maxContentLength} bytes); split it into several POSTs`,
    );
  }
  if (body === undefined || body.trim() === '') {
    throw new BadRequestError('The request has no body; send a TAXII envelope: {"objects": [ … STIX objects … ]}');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new BadRequestError(`The body is not valid JSON: ${describeJsonError(error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BadRequestError('The body must be a TAXII envelope object: {"objects": [ … ]}');
  }
  const objects = (parsed as { objects?: unknown }).objects;
  if (objects === undefined) throw new BadRequestError('The envelope has no "objects" property; send {"objects": [ … STIX objects … ]}');
  if (!Array.isArray(objects)) throw new BadRequestError('"objects" must be an array of STIX objects');
  return objects.map(checkObject);
}
