import { NotAcceptableError, UnsupportedMediaTypeError } from '../errors';

/** TAXII 2.1 §1.6.8: the media type of every TAXII resource, with or without the version parameter. */
export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

interface MediaRange {
  type: string;
  subtype: string;
  version: string | undefined;
  charset: string | undefined;
  q: number;
}

function parseMediaRanges(header: string): MediaRange[] {
  return header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const [essence = '', ...params] = part.split(';').map((p) => p.trim());
      const [type = '', subtype = ''] = essence.toLowerCase().split('/');
      let version: string | undefined;
      let charset: string | undefined;
      let q = 1;
      for (const param of params) {
        const [key = '', value = ''] = param.split('=').map((p) => p.trim().replace(/^"|"$/g, ''));
        if (key.toLowerCase() === 'version') version = value;
        if (key.toLowerCase() === 'charset') charset = value.toLowerCase();
        if (key.toLowerCase() === 'q') q = Number.isFinite(Number(value)) ? Number(value) : 0;
      }
      return { type, subtype, version, charset, q };
    });
}

function acceptsTaxii(range: MediaRange): boolean {
  if (range.q <= 0) return false;
  if (range.version !== undefined && range.version !== '2.1') return false;
  if (range.type === '*' && range.subtype === '*') return true;
  if (range.type !== 'application') return false;
  return range.subtype === '*' || range.subtype === 'taxii+json';
}

/**
 * TAXII 2.1 §1.6.8.1: a server answers 406 when it cannot produce the requested media type. A missing Accept
 * header means "anything" (RFC 9110 §12.5.1), which several real clients rely on.
 */
export function assertAcceptsTaxii(acceptHeader: string | undefined): void {
  if (acceptHeader === undefined || acceptHeader.trim() === '') return;
  if (parseMediaRanges(acceptHeader).some(acceptsTaxii)) return;
  throw new NotAcceptableError(`Accept "${acceptHeader}" does not allow ${TAXII_MEDIA_TYPE}; send Accept: ${TAXII_MEDIA_TYPE}`);
}

/**
 * For downloads in a media type of their own (exports): a missing Accept, any type, any subtype of the type, or the
 * type itself (parameters aside) is accepted; anything else is a 406 naming the type. Firewalls send "any" or nothing.
 */
export function assertAccepts(acceptHeader: string | undefined, mediaType: string): void {
  if (acceptHeader === undefined || acceptHeader.trim() === '') return;
  const [essence = ''] = mediaType.split(';');
  const [type, subtype] = essence.trim().toLowerCase().split('/');
  const ok = parseMediaRanges(acceptHeader).some(
    (range) =>
      range.q > 0 &&
      (range.type === '*' || range.type === type) &&
      (range.subtype === '*' || (range.type === type && range.subtype === subtype)),
  );
  if (!ok)
    throw new NotAcceptableError(
      `Accept "${acceptHeader}" does not allow ${essence.trim()}, the media type of this export; send Accept: ${essence.trim()} or */*`,
    );
}

/** TAXII 2.1 §5.5: a POST body must be a TAXII envelope; any other Content-Type is a 415. */
export function assertTaxiiContentType(contentTypeHeader: string | undefined): void {
  const [range] = parseMediaRanges(contentTypeHeader ?? '');
  const ok =
    range !== undefined &&
    range.type === 'application' &&
    range.subtype === 'taxii+json' &&
    (range.version === undefined || range.version === '2.1') &&
    // RFC 8259 §8.1: JSON is UTF-8; a body declared in another charset would be read as something it is not.
    (range.charset === undefined || range.charset === 'utf-8' || range.charset === 'utf8');
  if (!ok) {
    throw new UnsupportedMediaTypeError(
      `Content-Type "${contentTypeHeader ?? ''}" is not supported; send Content-Type: ${TAXII_MEDIA_TYPE}`,
    );
  }
}
