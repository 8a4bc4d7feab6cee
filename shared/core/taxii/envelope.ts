import { BadRequestError, PayloadTooLargeError } from '../errors';
import type { StixObject } from './model';

/** One object of a POSTed envelope: usable, or refused with a reason that goes into the status. */
export type EnvelopeItem = { ok: true; object: StixObject } | { ok: false; id: string; version: string; message: string };

// STIX 2.1 §2.9 and the OASIS identifier schema allow upper-case hex; normalize lower-cases identifiers.
const ID = /^([a-z0-9][a-z0-9-]*[a-z0-9]|[a-z0-9])--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function describeJsonError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function checkObject(value: unknown, index: number): EnvelopeItem {
  const where = `objects[${index}]`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, id: `${where}`, version: '', message: `${where}: must be a STIX object ({…}), got ${Array.isArray(value) ? 'an array' : typeof value}` };
  }
  const record = value as Record<string, unknown>;
  const id = typeof record.id === 'string' ? record.id : where;
  const version = typeof record.modified === 'string' ? record.modified : typeof record.created === 'string' ? record.created : '';
  if (typeof record.type !== 'string' || record.type.length === 0) {
    return { ok: false, id, version, message: `${where}.type: required, a STIX type such as "indicator"` };
  }
  if (typeof record.id !== 'string') return { ok: false, id, version, message: `${where}.id: required, of the form ${record.type}--<UUID>` };
  const match = ID.exec(record.id);
  if (!match) return { ok: false, id, version, message: `${where}.id: "${record.id}" is not of the form ${record.type}--<UUID>` };
  if (match[1] !== record.type) return { ok: false, id, version, message: `${where}.id: the id's type "${match[1]}" differs from type "${record.type}"` };
  return { ok: true, object: record as StixObject };
}

/**
 * TAXII 2.1 §5.5: the body of "Add Objects" is an envelope. A STIX bundle is accepted too, as Splunk CTIS sends
 * one (TAXII-CLIENTS #23). Envelope-level problems are a 400; a bad object fails alone, in the status.
 */
export function parseEnvelope(body: string | undefined, maxContentLength: number): EnvelopeItem[] {
  if (body !== undefined && Buffer.byteLength(body, 'utf8') > maxContentLength) {
    throw new PayloadTooLargeError(`The envelope is larger than max_content_length (${maxContentLength} bytes); split it into several POSTs`);
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
