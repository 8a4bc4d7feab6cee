import fc from 'fast-check';
import { BadRequestError } from '../../../shared/core/errors';
import { attachmentDisposition, sanitizeFileName } from '../../../shared/core/files/file-name';

describe('sanitizeFileName', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['C:\\Users\\analyst\\Desktop\\report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['/var/tmp/.hidden', 'hidden'],
    ['name\u0000with\nnulls\t.txt', 'name_with_nulls_.txt'],
    ['invoice\u202Efdp.exe', 'invoice_fdp.exe'],
    ['trailing dots... ', 'trailing dots'],
    ['a<b>c:d"e|f?g*h.doc', 'a_b_c_d_e_f_g_h.doc'],
    ['CON.txt', '_CON.txt'],
    ['  spaced   out  .xlsx', 'spaced out .xlsx'],
    ['関東電力_報告書.docx', '関東電力_報告書.docx'],
  ])('%j → %j', (raw, safe) => {
    expect(sanitizeFileName(raw)).toBe(safe);
  });

  it('keeps names within 255 bytes of UTF-8 and keeps the extension', () => {
    const name = sanitizeFileName(`${'報'.repeat(200)}.pdf`);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    expect(name.endsWith('.pdf')).toBe(true);
    expect(name.startsWith('報報')).toBe(true);
  });

  it.each(['', '/', '..', '\u0000\u0001', 'dir/'])('refuses %j, which names no file', (raw) => {
    expect(() => sanitizeFileName(raw)).toThrow(BadRequestError);
  });
});

describe('attachmentDisposition', () => {
  it('always says attachment, with an ASCII fallback and the exact UTF-8 name', () => {
    expect(attachmentDisposition('報告 "final" 100%.pdf')).toBe(
      `attachment; filename="__ _final_ 100_.pdf"; filename*=UTF-8''%E5%A0%B1%E5%91%8A%20%22final%22%20100%25.pdf`,
    );
    expect(attachmentDisposition("it's (1).pdf")).toBe(`attachment; filename="it's (1).pdf"; filename*=UTF-8''it%27s%20%281%29.pdf`);
  });
});

describe('sanitizeFileName on crafted names', () => {
  const MiB = 1024 * 1024;

  // The quadratic implementation it replaces, kept to check that the result is unchanged.
  const quadraticSanitize = (raw: string) => {
    let name = (raw.split(/[\\/]/).pop() ?? '')
      .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069<>:"|?*]/g, '_')
      .replace(/\s+/g, ' ')
      .trim();
    name = name.replace(/^\.+/, '').replace(/[. ]+$/, '');
    if (/^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i.test(name)) name = `_${name}`;
    if (Buffer.byteLength(name) > 255) {
      const dot = name.lastIndexOf('.');
      const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
      let stem = name.slice(0, name.length - extension.length);
      while (Buffer.byteLength(stem + extension) > 255) stem = [...stem].slice(0, -1).join('');
      name = stem + extension;
    }
    return name;
  };

  it('gives what the quadratic implementation gave, on generated names', () => {
    const raw = fc.string({
      unit: fc.constantFrom('a', '.', ' ', '..', 'é', '報', '😀', '\ud800', '\udc00', '/', '\u0000', '.txt', 'con'),
      minLength: 1,
      maxLength: 150,
    });
    fc.assert(
      fc.property(raw, (r) => {
        const expected = quadraticSanitize(r);
        if (expected === '' || /^_+$/.test(expected)) expect(() => sanitizeFileName(r)).toThrow(BadRequestError);
        else expect(sanitizeFileName(r)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps a 1 MiB inner run of dots and spaces only up to 255 bytes, and drops the trailing one', () => {
    const raw = `a${'. '.repeat(MiB / 2)}b.txt${' .'.repeat(MiB / 2)}`;

    const name = sanitizeFileName(raw);

    // 251 bytes for the stem: the "a" and 125 of the 524,288 ". " pairs.
    expect(name).toBe(`a${'. '.repeat(125)}.txt`);
  });

  it('cuts a 1 MiB multi-byte name at a whole character within 255 bytes, keeping the extension', () => {
    const raw = `${'😀é'.repeat(MiB / 3)}.pdf`;

    const name = sanitizeFileName(raw);

    // 4 + 2 bytes a pair; 251 bytes for the stem hold 41 pairs and one more 😀.
    expect(name).toBe(`${'😀é'.repeat(41)}😀.pdf`);
    expect(Buffer.byteLength(name)).toBe(254);
  });

  it('counts a lone surrogate as the 3 bytes it is written as', () => {
    const raw = `${'\ud800'.repeat(MiB)}.bin`;

    const name = sanitizeFileName(raw);

    expect(name).toBe(`${'\ud800'.repeat(83)}.bin`);
    expect(Buffer.byteLength(name)).toBe(253);
  });
});
