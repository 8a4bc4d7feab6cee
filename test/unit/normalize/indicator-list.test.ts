import { parseIndicatorList } from '../../../shared/core/normalize/indicator-list';
import { parsePattern } from '../../../shared/core/normalize/pattern';

const NOW = '2026-11-25T00:00:00.000Z';
const patterns = (items: ReturnType<typeof parseIndicatorList>) => items.map((i) => (i.ok ? i.object.pattern : i.message));

describe('plain indicator lists', () => {
  it('recognises, refangs and canonicalises one value per line', () => {
    const text = [
      '# exported from our SIEM',
      '45.77.65[.]211',
      '2001:0DB8:0:0:0:0:0:1',
      '185.220.101.0/24',
      'Evil-Update[.]EXAMPLE',
      'hxxps://evil-update[.]example/dl?id=7',
      'billing[@]evil-invoices.example',
      'D41D8CD98F00B204E9800998ECF8427F',
      '3e3ab9674142dec46ce389e9e759b6484e847f5c1e1fc682fc638fc837c13571',
      'not an indicator',
    ].join('\n');
    const items = parseIndicatorList(text, { format: 'lines', now: NOW });

    expect(patterns(items)).toEqual([
      "[ipv4-addr:value = '45.77.65.211']",
      "[ipv6-addr:value = '2001:db8::1']",
      "[ipv4-addr:value = '185.220.101.0/24']",
      "[domain-name:value = 'evil-update.example']",
      "[url:value = 'https://evil-update.example/dl?id=7']",
      "[email-addr:value = 'billing@evil-invoices.example']",
      "[file:hashes.'MD5' = 'd41d8cd98f00b204e9800998ecf8427f']",
      "[file:hashes.'SHA-256' = '3e3ab9674142dec46ce389e9e759b6484e847f5c1e1fc682fc638fc837c13571']",
      'line 10: "not an indicator" is not an IP address, CIDR, domain, URL, e-mail address or MD5/SHA-1/SHA-256/SHA-512 hash',
    ]);
    for (const item of items) if (item.ok) expect(() => parsePattern(item.object.pattern as string)).not.toThrow();
  });

  it('reads CSV with a type column and gives the same value the same indicator id', () => {
    const csv = 'type,value,description\nip,45.77.65.211,"C2, seen 2026-11-20"\ndomain,EVIL.example,\nfoo,bar,';
    const items = parseIndicatorList(csv, { format: 'csv', now: NOW });
    const again = parseIndicatorList('45.77.65.211', { format: 'lines', now: NOW });

    expect(patterns(items)).toEqual([
      "[ipv4-addr:value = '45.77.65.211']",
      "[domain-name:value = 'evil.example']",
      expect.stringMatching(/^line 4: unknown type "foo"/),
    ]);
    expect(items[0]!.ok && items[0]!.object.description).toBe('C2, seen 2026-11-20');
    expect(items[0]!.ok && again[0]!.ok && items[0]!.object.id === again[0]!.object.id).toBe(true);
  });
});

describe('indicator lists crafted to be slow', () => {
  const MiB = 1024 * 1024;

  it('reads 16 Ki rows under a 512 KiB CSV header that names no type or description', () => {
    const rows = Array.from({ length: 16 * 1024 }, (_, i) => `198.51.${i >> 8}.${i & 255},x`);
    const text = [`value${',extra'.repeat(MiB / 12)}`, ...rows].join('\n');

    const items = parseIndicatorList(text, { format: 'csv', now: NOW });

    expect(items).toHaveLength(16 * 1024);
    expect(patterns(items.slice(-1))).toEqual(["[ipv4-addr:value = '198.51.63.255']"]);
  });

  it('refangs and recognises a value after 1 MiB of blanks around " dot "', () => {
    const text = `evil${' '.repeat(MiB / 2)}dot${'\t'.repeat(MiB / 2)}example`;

    const items = parseIndicatorList(text, { format: 'lines', now: NOW });

    expect(patterns(items)).toEqual(["[domain-name:value = 'evil.example']"]);
  });
});
