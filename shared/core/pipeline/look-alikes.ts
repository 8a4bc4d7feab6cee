/**
 * Letters a reader cannot tell apart, read as one (the skeleton of Unicode TR39 §4, "Confusable Detection", for
 * the scripts a registered name is spoofed with). The shadow (shadow-text.ts) applies it after NFKC, which already
 * folds full-width, mathematical alphanumerics (𝐀𝐜𝐦𝐞), circled and enclosed letters and Kangxi radicals.
 *
 * 1. Cyrillic, Greek, Armenian, Cherokee and Latin small-capital / IPA letters that look like a Latin letter read
 *    as that letter: `Асme` (Cyrillic А, с) reads `acme`. The table is keyed on the letter as written, so
 *    upper-case Greek Η reads `h` while lower-case η reads `n`, as each looks (TR39 maps case forms separately).
 * 2. Diacritics on a Latin letter are dropped: `Kantō` and `Kanto\u0304` read `kanto`, as Japanese romanisation
 *    is written both ways. Marks on other letters stay (ガ is not カ).
 * 3. Katakana that are the shapes of kanji read as the kanji (カ 力, ロ 口, エ 工, ニ 二, ハ 八, ト 卜, タ 夕,
 *    ー 一): `関東電カ` is `関東電力` to a reader.
 * 4. Decomposed Hangul (conjoining jamo, as NFD writes it, or compatibility jamo ㄱ ㅏ as typed) composes into
 *    syllables: `ᄒ ᅧ ᆫ` and `ㅎㅕㄴ` read `현`.
 * ASCII is left as it is: `0`/`o` or `1`/`l` would turn addresses and version numbers into words.
 * Every mapping is applied alike to registry values and to text, so a match needs the same reading on both sides.
 */

/** Each entry: the letter as written, then what it reads as. */
const LOOK_ALIKES: readonly string[] = [
  // Cyrillic
  'АA аa ВB ЕE еe ЀE ЁE НH һh ҺH ІI іi ЇI їi ЈJ јj КK МM ОO оo РP рp СC сc ЅS ѕs ТT ХX хx УY уy ҮY үy Ԁd ԁd ԚQ ԛq ԜW',
  'ԝw Ӏl ӏl Ьb ьb ꙆI ꙇi ѴV ѵv ԌG ԍg',
  // Greek
  'ΑA αa ΒB ΕE ΖZ ΗH ΙI ιi ΚK κk ΜM ΝN νv ΟO οo ΡP ρp ΤT ΥY υu ΧX χx γy ηn ϲc ϹC ϳj ͿJ ωw ϱp ϴO ϜF',
  // Armenian
  'ՍU ՕO ԼL ՏS օo սu ցg հh ոn ռn զq աw քp',
  // Latin letters that are not ASCII
  'ıi ȷj ɑa ɡg ɩi ɪi ʟl ɴn ʀr ʏy ᴀa ʙb ᴄc ᴅd ᴇe ɢg ʜh ᴊj ᴋk ᴍm ᴏo ᴘp ꜱs ᴛt ᴜu ᴠv ᴡw ᴢz ƅb ƽs ɋq ʋu ℓl',
  // Cherokee capitals (their lower-case forms are added below)
  'ᎪA ᏴB ᏟC ᎠD ᎬE ᏀG ᎻH ᎫJ ᏦK ᏞL ᎷM ᏢP ᎡR ᏚS ᎢT ᏙV ᎳW ᏃZ ᏔW ᏳG',
  // Lisu
  'ꓮA ꓐB ꓚC ꓓD ꓰE ꓝF ꓖG ꓧH ꓲI ꓙJ ꓗK ꓡL ꓟM ꓠN ꓳO ꓑP ꓣR ꓢS ꓔT ꓴU ꓦV ꓪW ꓫX ꓬY ꓜZ',
  // Katakana shaped like kanji
  'カ力 ロ口 エ工 ニ二 ハ八 ト卜 タ夕 ー一',
];

const SKELETON = new Map<number, string>();
const LATIN = new Map(LOOK_ALIKES.flatMap((line) => line.split(' ').map((entry) => [...entry] as [string, string])));
for (const [from, to] of LATIN) {
  SKELETON.set(from.codePointAt(0)!, to);
  const code = from.codePointAt(0)!;
  const lower = from.toLowerCase();
  // Cyrillic small letters are small capitals of the same shape (к, м, т), and Cherokee letters have case since
  // Unicode 8 (ꭺ reads like Ꭺ); Greek ones do not keep their shape (μ is no M).
  const keepsShape = (code >= 0x400 && code <= 0x52f) || (code >= 0x13a0 && code <= 0x13f5);
  if (keepsShape && lower !== from && !LATIN.has(lower)) SKELETON.set(lower.codePointAt(0)!, to);
}

/** The katakana that the shadow's kana fast path must not copy as they are. */
export const isLookAlikeKana = (unit: number): boolean => unit >= 0x30a1 && unit <= 0x30fc && SKELETON.has(unit);

const LATIN_MARKED = /\p{M}/u;
const isAsciiLetter = (s: string) => s.length === 1 && ((s >= 'a' && s <= 'z') || (s >= 'A' && s <= 'Z'));

/**
 * The skeleton of an NFKC-normalised, not yet lower-cased string: look-alike letters read as the letter they look
 * like, marks on Latin letters dropped; lower-cased and recomposed (NFC).
 */
export function skeletonOf(nfkc: string): string {
  let out = '';
  let afterLatin = false;
  for (const written of nfkc) {
    const read = SKELETON.get(written.codePointAt(0)!) ?? written;
    for (const ch of read.toLowerCase().normalize('NFD')) {
      if (afterLatin && LATIN_MARKED.test(ch)) continue;
      // A base letter bared by NFD (ё → е + ◌̈) reads as Latin only when it looks like one.
      const latin = SKELETON.get(ch.codePointAt(0)!);
      const mapped = latin !== undefined && isAsciiLetter(latin) ? latin.toLowerCase() : ch;
      afterLatin = isAsciiLetter(mapped);
      out += mapped;
    }
  }
  return out.normalize('NFC');
}

// ---- Hangul (Unicode 15 §3.12, "Conjoining Jamo Behavior") -------------------------------------------------
const S_BASE = 0xac00;
const L_BASE = 0x1100;
const V_BASE = 0x1161;
const T_BASE = 0x11a7;
/** Compatibility consonants ㄱ…ㅎ (U+3131–U+314E) as leading (L) and trailing (T) indices; -1 where none. */
const COMPAT_L = [0, 1, -1, 2, -1, -1, 3, 4, 5, -1, -1, -1, -1, -1, -1, -1, 6, 7, 8, -1, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
const COMPAT_T = [1, 2, 3, 4, 5, 6, 7, -1, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, -1, 18, 19, 20, 21, 22, -1, 23, 24, 25, 26, 27];

/** Conjoining (U+1100–U+11FF) or compatibility (U+3131–U+318E) jamo. */
export const isJamo = (c: number): boolean => (c >= 0x1100 && c <= 0x11ff) || (c >= 0x3131 && c <= 0x318e);

interface Jamo {
  l: number;
  v: number;
  t: number;
}

function jamoOf(c: number): Jamo {
  if (c >= L_BASE && c <= 0x1112) return { l: c - L_BASE, v: -1, t: -1 };
  if (c >= V_BASE && c <= 0x1175) return { l: -1, v: c - V_BASE, t: -1 };
  if (c >= 0x11a8 && c <= 0x11c2) return { l: -1, v: -1, t: c - T_BASE };
  if (c >= 0x3131 && c <= 0x314e) return { l: COMPAT_L[c - 0x3131]!, v: -1, t: COMPAT_T[c - 0x3131]! };
  if (c >= 0x314f && c <= 0x3163) return { l: -1, v: c - 0x314f, t: -1 };
  return { l: -1, v: -1, t: -1 };
}

/**
 * A run of jamo units composed: each output unit with the run offsets [from, to) it was read from. A consonant
 * after a vowel is the syllable's final one unless a vowel follows it (then it leads the next syllable).
 */
export function composeJamo(units: readonly number[], emit: (unit: number, from: number, to: number) => void): void {
  const jamo = units.map(jamoOf);
  let i = 0;
  while (i < units.length) {
    const lead = jamo[i]!;
    const vowel = jamo[i + 1];
    if (lead.l >= 0 && vowel && vowel.v >= 0) {
      let t = 0;
      let to = i + 2;
      const tail = jamo[i + 2];
      const afterTail = jamo[i + 3];
      if (tail && tail.t >= 0 && !(afterTail && afterTail.v >= 0 && tail.l >= 0)) {
        t = tail.t;
        to = i + 3;
      }
      emit(S_BASE + (lead.l * 21 + vowel.v) * 28 + t, i, to);
      i = to;
      continue;
    }
    const alone = String.fromCharCode(units[i]!).normalize('NFKC');
    for (let k = 0; k < alone.length; k += 1) emit(alone.charCodeAt(k), i, i + 1);
    i += 1;
  }
}
