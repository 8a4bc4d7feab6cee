import { BadRequestError } from '../errors';

/**
 * File names arrive from members' machines and leave to other members' machines: nothing in one may steer where a
 * file lands or how it is shown. Kept: the last path segment, printable characters. Removed: directories, control
 * characters, Unicode direction overrides (which make `gpj.exe` read as `exe.jpg`), leading dots and trailing dots
 * or spaces (hidden files; Windows strips them).
 */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069<>:"|?*]/g;
const WINDOWS_DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const MAX_NAME_BYTES = 255;

/** UTF-8 bytes of one code point; a lone surrogate is written as U+FFFD, 3 bytes, as Buffer.byteLength counts it. */
const utf8Bytes = (codePoint: number) => (codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4);

/**
 * The longest whole-code-point prefix of the stem that fits with the extension. It is measured forwards, up to the
 * limit: dropping one code point at a time from the end and re-measuring was quadratic in the name's length.
 */
function truncateUtf8(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  const stem = name.slice(0, name.length - extension.length);
  const budget = maxBytes - Buffer.byteLength(extension);
  let end = 0;
  let bytes = 0;
  for (const character of stem) {
    bytes += utf8Bytes(character.codePointAt(0)!);
    if (bytes > budget) break;
    end += character.length;
  }
  return stem.slice(0, end) + extension;
}

/** Without trailing dots and spaces. A loop, as /[. ]+$/ rescans a long inner run of them from each position. */
function trimTrailingDotsAndSpaces(name: string): string {
  let end = name.length;
  while (end > 0 && (name[end - 1] === '.' || name[end - 1] === ' ')) end--;
  return name.slice(0, end);
}

export function sanitizeFileName(raw: string): string {
  const lastSegment = raw.split(/[\\/]/).pop() ?? '';
  let name = lastSegment.replace(UNSAFE_CHARACTERS, '_').replace(/\s+/g, ' ').trim();
  name = trimTrailingDotsAndSpaces(name.replace(/^\.+/, ''));
  if (WINDOWS_DEVICE_NAMES.test(name)) name = `_${name}`;
  name = truncateUtf8(name, MAX_NAME_BYTES);
  if (name === '' || /^_+$/.test(name))
    throw new BadRequestError(`file_name: "${raw.slice(0, 80)}" does not name a file once paths and control characters are removed`);
  return name;
}

/** RFC 6266 `attachment` with an ASCII fallback and the exact UTF-8 name (RFC 5987), so every browser saves, never shows. */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
