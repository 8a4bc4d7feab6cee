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

function truncateUtf8(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  let stem = name.slice(0, name.length - extension.length);
  while (Buffer.byteLength(stem + extension) > maxBytes) stem = [...stem].slice(0, -1).join('');
  return stem + extension;
}

export function sanitizeFileName(raw: string): string {
  const lastSegment = raw.split(/[\\/]/).pop() ?? '';
  let name = lastSegment.replace(UNSAFE_CHARACTERS, '_').replace(/\s+/g, ' ').trim();
  name = name.replace(/^\.+/, '').replace(/[. ]+$/, '');
  if (WINDOWS_DEVICE_NAMES.test(name)) name = `_${name}`;
  name = truncateUtf8(name, MAX_NAME_BYTES);
  if (name === '' || /^_+$/.test(name)) throw new BadRequestError(`file_name: "${raw.slice(0, 80)}" does not name a file once paths and control characters are removed`);
  return name;
}

/** RFC 6266 `attachment` with an ASCII fallback and the exact UTF-8 name (RFC 5987), so every browser saves, never shows. */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
