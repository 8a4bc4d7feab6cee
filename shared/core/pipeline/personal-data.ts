/**
 * Personal data in free text (BRIEF, filter): e-mail addresses of people and telephone numbers. Attack technical
 * information flows; who was phoned or mailed at the victim does not. Addresses that are themselves indicators of
 * the object (a phishing sender in its pattern) are not personal data here.
 */

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// International (+81 3-1234-5678), Japanese (03-1234-5678, 090-1234-5678, 0120-123-456) and North American
// ((555) 123-4567) forms; full-width digits and hyphens are normalised first.
const PHONE = /(?:\+\d{1,3}[\s-]?)?(?:\(\d{1,4}\)[\s-]?|\b0\d{1,4}[\s-])\d{1,4}[\s-]\d{3,4}\b|\+\d{1,3}[\s-]\d{1,4}[\s-]\d{2,4}[\s-]\d{3,4}\b/g;

/** Fields whose text is prose written by people, where personal data hides. */
const FREE_TEXT_FIELDS = new Set(['name', 'description', 'abstract', 'content', 'opinion', 'explanation', 'labels', 'aliases', 'x_comment', 'x_notes']);

function normaliseWidth(text: string): string {
  return text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[－ー‐−]/g, '-').replace(/＋/g, '+');
}

export interface PersonalDataFinding {
  field: string;
  kind: 'email address' | 'phone number';
}

const IDENTIFIER = /^[a-z0-9-]+--[0-9a-f-]{36}$/i;

function textsOf(value: unknown, path: string, out: Array<{ path: string; text: string }>): void {
  // References and identifiers are not prose: their digit groups are not phone numbers.
  if (/_refs?(\[\d+\])?$/.test(path)) return;
  if (typeof value === 'string') {
    if (!IDENTIFIER.test(value)) out.push({ path, text: value });
    return;
  }
  else if (Array.isArray(value)) value.forEach((v, i) => textsOf(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) textsOf(v, `${path}.${k}`, out);
}

/** Free-text fields of an object (its own prose, external reference descriptions, and custom x_ strings). */
export function freeTexts(object: Record<string, unknown>): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  for (const [key, value] of Object.entries(object)) {
    if (FREE_TEXT_FIELDS.has(key) || key.startsWith('x_')) textsOf(value, key, out);
    if (key === 'external_references' && Array.isArray(value)) {
      value.forEach((ref, i) => textsOf((ref as Record<string, unknown>)?.description, `external_references[${i}].description`, out));
    }
  }
  return out;
}

export function findPersonalData(object: Record<string, unknown>, indicatorValues: ReadonlySet<string>): PersonalDataFinding[] {
  const findings: PersonalDataFinding[] = [];
  for (const { path, text } of freeTexts(object)) {
    const normalised = normaliseWidth(text);
    const emails = (normalised.match(EMAIL) ?? []).filter((e) => !indicatorValues.has(e.toLowerCase()));
    if (emails.length > 0) findings.push({ field: path, kind: 'email address' });
    if (PHONE.test(normalised)) findings.push({ field: path, kind: 'phone number' });
    PHONE.lastIndex = 0;
  }
  return findings;
}
