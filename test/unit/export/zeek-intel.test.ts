import { zeekIntel } from '../../../shared/core/export/zeek-intel';
import { indicator, sco, text } from './fixtures';

describe('Zeek Intel export', () => {
  it('writes the #fields header and one tab-separated line per value with its Intel type', async () => {
    // Prepare
    const ind = indicator(
      "[ipv4-addr:value = '45.33.3.1'] OR [domain-name:value = 'c2-kanto.xyz'] OR [url:value = 'https://c2-kanto.xyz/gate.php?id=1'] OR [email-addr:value = 'x@c2-kanto.xyz']",
      {
        object_marking_refs: ['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421'],
      },
    );
    const net = sco('ipv6-addr', { value: '2a01:4f8::/32' });
    const file = sco('file', { hashes: { 'SHA-1': 'A'.repeat(40) } });
    // Act
    const out = await text([ind, net, file], zeekIntel);
    // Assess
    const desc = `TLP:AMBER ${ind.id}`;
    expect(out.split('\n')).toEqual([
      '#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url',
      `45.33.3.1\tIntel::ADDR\tKyoyu\t${desc}\t-`,
      `c2-kanto.xyz\tIntel::DOMAIN\tKyoyu\t${desc}\t-`,
      `c2-kanto.xyz/gate.php?id=1\tIntel::URL\tKyoyu\t${desc}\t-`,
      `x@c2-kanto.xyz\tIntel::EMAIL\tKyoyu\t${desc}\t-`,
      `2a01:4f8::/32\tIntel::SUBNET\tKyoyu\tTLP:GREEN ${net.id}\t-`,
      `${'a'.repeat(40)}\tIntel::FILE_HASH\tKyoyu\tTLP:GREEN ${file.id}\t-`,
      '',
    ]);
  });

  it('keeps every line at five fields whatever a URL holds', async () => {
    // Prepare
    const urls = ['http://c2-kanto.xyz/a\tb', 'http://c2-kanto.xyz/\r\n#fields', 'http://c2-kanto.xyz/\u00e9\u0000'];
    // Act
    const out = await text(
      urls.map((value) => sco('url', { value })),
      zeekIntel,
    );
    // Assess
    const lines = out.split('\n').slice(1, -1);
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line.split('\t')).toHaveLength(5);
  });
});
