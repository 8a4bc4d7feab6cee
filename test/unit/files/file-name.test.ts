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
