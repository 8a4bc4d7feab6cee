import { shadowOf } from '../../../shared/core/pipeline/shadow-text';

describe('shadow text: what the victim matcher reads', () => {
  it('reads full-width, case, zero-width, percent-encoding, defanging, ideographic stops and whitespace runs', () => {
    const cases: Array<[string, string]> = [
      ['ｓｒｖ．ＫＡＮＴＯ－ｐｏｗｅｒ．ｃｏ．ｊｐ', 'srv.kanto-power.co.jp'],
      ['Kan\u200bto\u00ad Po\u200dwer\ufe0f', 'kanto power'],
      ['kanto-power%2Eco%2ejp %E9%96%A2東 %ZZ %E9%96 100%', 'kanto-power.co.jp 関東 %zz %e9%96 100%'],
      ['a%252Eb %25252Ec ％2%EF%BC%A5', 'a.b.c .'],
      ['%2525252E', '%2e'],
      ['hxxps[:]//a[.]b(.)c{.}d[dot]e(dot)f dot g\\.h', 'https://a.b.c.d.e.f.g.h'],
      ['soc[@]a soc[at]b soc(at)c x [.] y', 'soc@a soc@b soc@c x.y'],
      ['fxp://x  hxxp://y', 'ftp://x http://y'],
      ['関東電力。jp ｜ 北海道｡jp', '関東電力.jp | 北海道.jp'],
      ['a \t\n\u3000 b', 'a b'],
      ['ｶﾞｽ ﾊﾟﾜｰ', 'ガス パワ一'],
      ['Асmе ΡΟWΕR 𝐀𝐜𝐦𝐞 Acmé ᄒ\u1167\u11ab ㄷㅐ', 'acme power acme acme 현 대'],
    ];

    const shadows = cases.map(([text]) => shadowOf(text).text);

    expect(shadows).toEqual(cases.map(([, shadow]) => shadow));
  });

  it('maps every shadow character back to the original span it was read from', () => {
    const text = 'ab%2Ec[.]ｄ\u200be';

    const shadow = shadowOf(text);

    expect(shadow.text).toBe('ab.c.de');
    const spans = [...shadow.text].map((_, i) => text.slice(shadow.start[i], shadow.end[i]));
    expect(spans).toEqual(['a', 'b', '%2E', 'c', '[.]', 'ｄ', 'e']);
  });
});
