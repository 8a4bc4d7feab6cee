import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ERR_INVALID_AUTHENTICATION_CODE,
  ERR_INVALID_PASSWORD,
  Uint8ArrayReader,
  Uint8ArrayWriter,
  ZipReader,
  type Entry,
  type FileEntry,
} from '@zip.js/zip.js';
import { encryptedZip, type ZipEntry } from '../../../shared/core/samples/encrypted-zip';

const PASSWORD = 'infected';

/** A reproducible random source, so a wrong password cannot pass the 2-byte verifier by chance (1 in 65536). */
function seededRandom(seed: string): (size: number) => Buffer {
  let counter = 0;
  return (size) => createHash('sha512').update(`${seed}:${counter++}`).digest().subarray(0, size);
}

/** zip.js as the independent reader: strict parsing, authentication code checked, no workers under jest. */
async function readZip(zip: Buffer, password: string): Promise<{ entries: FileEntry[]; contents: Map<string, Buffer> }> {
  const reader = new ZipReader(new Uint8ArrayReader(zip), {
    password,
    strictness: 'strict',
    checkAuthenticationCode: true,
    useWebWorkers: false,
  });
  try {
    const entries = (await reader.getEntries()).filter((entry: Entry): entry is FileEntry => !entry.directory);
    const contents = new Map<string, Buffer>();
    for (const entry of entries) contents.set(entry.filename, Buffer.from(await entry.getData(new Uint8ArrayWriter())));
    return { entries, contents };
  } finally {
    await reader.close();
  }
}

async function readOnlyEntry(zip: Buffer, password: string): Promise<Buffer> {
  const { contents } = await readZip(zip, password);
  expect(contents.size).toBe(1);
  return [...contents.values()][0]!;
}

const FIVE_MIB_AND_A_BIT = 5 * 1024 * 1024 + 7;
const samples: ZipEntry[] = [
  { name: 'empty.bin', data: new Uint8Array(0) },
  { name: 'one-byte.bin', data: Uint8Array.of(0x4d) },
  { name: 'fifteen.bin', data: randomBytes(15) },
  { name: 'sixteen.bin', data: randomBytes(16) },
  { name: 'seventeen.bin', data: randomBytes(17) },
  { name: 'サンプル/検体.exe', data: Buffer.from('MZ 日本語のペイロード', 'utf8') },
  // Spans many keystream chunks and counter values above 2^16, and ends inside a block.
  { name: 'large/random.bin', data: randomBytes(FIVE_MIB_AND_A_BIT) },
  // A view at an odd offset takes the byte-by-byte XOR instead of the 32-bit one.
  { name: 'large/unaligned.bin', data: randomBytes(2 * 1024 * 1024 + 2).subarray(1) },
];

describe('encryptedZip', () => {
  let zip: Buffer;
  beforeAll(() => {
    zip = encryptedZip(samples, PASSWORD);
  });

  it('produces entries that zip.js decrypts byte for byte with the password', async () => {
    const { entries, contents } = await readZip(zip, PASSWORD);

    expect(entries.map((entry) => entry.filename)).toEqual(samples.map((sample) => sample.name));
    for (const sample of samples) {
      const content = contents.get(sample.name);
      expect(content?.length).toBe(sample.data.length);
      expect(content?.equals(sample.data)).toBe(true);
    }
  });

  it('marks every entry as WinZip AES-256, AE-2, stored inside the encryption, with UTF-8 names', async () => {
    const { entries } = await readZip(zip, PASSWORD);

    // zip.js reports the method inside the encryption as compressionMethod, and the header's 99 as
    // originalCompressionMethod; it reads only the first byte of the vendor id, so the raw-bytes test checks "AE".
    for (const [index, entry] of entries.entries()) {
      const size = samples[index]!.data.length;
      expect(entry).toMatchObject({
        encrypted: true,
        zipCrypto: false,
        filenameUTF8: true,
        compressionMethod: 0,
        version: 51,
        versionMadeBy: 63,
        rawBitFlag: 0x0801,
        uncompressedSize: size,
        compressedSize: 16 + 2 + size + 10,
        extraFieldAES: { vendorVersion: 2, strength: 3, compressionMethod: 0, originalCompressionMethod: 99 },
      });
      expect(entry.crc32 ?? 0).toBe(0);
    }
  });

  it('writes the AES extra field exactly as the specification lays it out, in both headers', () => {
    const extraField = Buffer.from([0x01, 0x99, 0x07, 0x00, 0x02, 0x00, 0x41, 0x45, 0x03, 0x00, 0x00]);
    const occurrences = (haystack: Buffer, needle: Buffer): number => {
      let count = 0;
      for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) count++;
      return count;
    };
    const small = encryptedZip([{ name: 'a.txt', data: Buffer.from('abc') }], PASSWORD);

    expect(occurrences(small, extraField)).toBe(2);
    expect(small.readUInt32LE(14)).toBe(0); // CRC-32 of the local header
  });

  it('keeps the content out of the archive in plain text, under a fresh salt for every entry', () => {
    const marker = Buffer.from('PLAINTEXT-MARKER-that-must-not-survive-encryption '.repeat(200));
    const twice = encryptedZip(
      [
        { name: 'first.txt', data: marker },
        { name: 'second.txt', data: marker },
      ],
      PASSWORD,
    );

    expect(twice.includes(marker.subarray(0, 16))).toBe(false);
    expect(twice.includes('PLAINTEXT-MARKER')).toBe(false);
    // Same content and password, different salt: the two ciphertexts differ.
    const firstData = 30 + 'first.txt'.length + 11;
    const secondData = firstData + 16 + 2 + marker.length + 10 + 30 + 'second.txt'.length + 11;
    expect(twice.subarray(firstData, firstData + 64).equals(twice.subarray(secondData, secondData + 64))).toBe(false);
    // Names are not encrypted (a ZIP never hides them); only the content is.
    expect(twice.includes('first.txt')).toBe(true);
  });

  it('draws one 16-byte salt per entry from the random source, and is deterministic given it', async () => {
    const sizes: number[] = [];
    const random = seededRandom('salts');
    const recording = (size: number): Buffer => {
      sizes.push(size);
      return random(size);
    };
    const modified = new Date(2024, 0, 2, 3, 4, 6);
    const entries: ZipEntry[] = [
      { name: 'a', data: Buffer.from('alpha'), modified },
      { name: 'b', data: Buffer.from('beta'), modified },
    ];

    const zipped = encryptedZip(entries, PASSWORD, recording);

    expect(sizes).toEqual([16, 16]);
    expect(encryptedZip(entries, PASSWORD, seededRandom('salts')).equals(zipped)).toBe(true);
    expect((await readZip(zipped, PASSWORD)).contents.get('b')?.toString()).toBe('beta');
  });

  it('refuses a wrong password', async () => {
    const zipped = encryptedZip([{ name: 'sample.bin', data: Buffer.from('secret sample') }], PASSWORD, seededRandom('wrong-password'));

    await expect(readOnlyEntry(zipped, 'not-infected')).rejects.toThrow(ERR_INVALID_PASSWORD);
    await expect(readOnlyEntry(zipped, 'Infected')).rejects.toThrow(ERR_INVALID_PASSWORD);
    expect((await readOnlyEntry(zipped, PASSWORD)).toString()).toBe('secret sample');
  });

  it('fails authentication when a ciphertext byte is changed', async () => {
    const data = randomBytes(100);
    const zipped = encryptedZip([{ name: 'sample.bin', data }], PASSWORD);
    const ciphertextStart = 30 + 'sample.bin'.length + 11 + 16 + 2;

    for (const position of [0, 50, 99]) {
      const tampered = Buffer.from(zipped);
      tampered[ciphertextStart + position]! ^= 0x01;
      await expect(readOnlyEntry(tampered, PASSWORD)).rejects.toThrow(ERR_INVALID_AUTHENTICATION_CODE);
    }
    const tamperedCode = Buffer.from(zipped);
    tamperedCode[ciphertextStart + data.length]! ^= 0x80;
    await expect(readOnlyEntry(tamperedCode, PASSWORD)).rejects.toThrow(ERR_INVALID_AUTHENTICATION_CODE);
    expect((await readOnlyEntry(zipped, PASSWORD)).equals(data)).toBe(true);
  });

  it('stores the modification time (2-second DOS resolution), defaulting to now', async () => {
    const before = Date.now();
    const zipped = encryptedZip(
      [
        { name: 'dated.bin', data: Buffer.from('x'), modified: new Date(2024, 2, 15, 13, 45, 31) },
        { name: 'undated.bin', data: Buffer.from('y') },
      ],
      PASSWORD,
    );
    const { entries } = await readZip(zipped, PASSWORD);

    expect(entries[0]!.lastModDate).toEqual(new Date(2024, 2, 15, 13, 45, 30));
    const undated = entries[1]!.lastModDate.getTime();
    expect(undated).toBeGreaterThanOrEqual(before - 2000);
    expect(undated).toBeLessThanOrEqual(Date.now());
  });

  it('opens with Info-ZIP unzip as a well-formed container (listing only: unzip cannot decrypt AES)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'encrypted-zip-'));
    try {
      const path = join(dir, 'samples.zip');
      writeFileSync(path, zip);

      const listing = execFileSync('/usr/bin/unzip', ['-l', path], { encoding: 'utf8' });
      for (const sample of samples.filter((s) => /^[\x20-\x7e]+$/.test(s.name))) {
        expect(listing).toMatch(new RegExp(`^\\s*${sample.data.length}\\s+\\S+\\s+\\S+\\s+${sample.name.replace(/[.]/g, '\\.')}$`, 'm'));
      }
      expect(listing).toMatch(new RegExp(`^\\s*${samples.reduce((sum, s) => sum + s.data.length, 0)}\\s+${samples.length} files$`, 'm'));

      const details = execFileSync('/usr/bin/unzip', ['-Z', '-v', path], { encoding: 'utf8' });
      expect(details).not.toMatch(/error|warning/i);
      expect(details.match(/file security status:\s+encrypted/g)).toHaveLength(samples.length);
      expect(details.match(/minimum software version required to extract:\s+5\.1/g)).toHaveLength(samples.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const sevenZip = ['/usr/bin/7z', '/usr/bin/7za', '/usr/bin/7zz', '/usr/local/bin/7z', '/usr/local/bin/7zz'].find((path) =>
    existsSync(path),
  );
  (sevenZip ? it : it.skip)('extracts with 7-Zip and the password', () => {
    const dir = mkdtempSync(join(tmpdir(), 'encrypted-zip-7z-'));
    try {
      const path = join(dir, 'samples.zip');
      writeFileSync(path, zip);
      const result = spawnSync(sevenZip!, ['x', `-p${PASSWORD}`, `-o${join(dir, 'out')}`, '-y', path], { encoding: 'utf8' });
      expect(result.status).toBe(0);
      for (const sample of samples) expect(readFileSync(join(dir, 'out', sample.name)).equals(sample.data)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('refuses with a RangeError', () => {
    const data = Buffer.from('x');

    it('an empty password', () => {
      expect(() => encryptedZip([{ name: 'a', data }], '')).toThrow(new RangeError('The ZIP password must not be empty'));
    });

    it.each([
      ['', /must not be empty/],
      ['/etc/passwd', /is absolute/],
      ['C:/Windows/evil.dll', /is absolute/],
      ['..', /\.\. segment/],
      ['../escape.bin', /\.\. segment/],
      ['samples/../../escape.bin', /\.\. segment/],
      ['samples\\evil.bin', /backslash/],
      ['..\\escape.bin', /backslash/],
      ['evil\u0000.bin', /control character/],
      ['evil\n.bin', /control character/],
      ['evil\u009b.bin', /control character/],
      ['evil\ud800.bin', /lone surrogate/],
      ['samples/', /names a folder/],
      ['samples//a.bin', /empty or \. segment/],
      ['./a.bin', /empty or \. segment/],
    ])('the entry name %j', (name, message) => {
      expect(() => encryptedZip([{ name, data }], PASSWORD)).toThrow(RangeError);
      expect(() => encryptedZip([{ name, data }], PASSWORD)).toThrow(message);
    });

    it('a name used twice', () => {
      expect(() =>
        encryptedZip(
          [
            { name: 'a', data },
            { name: 'a', data },
          ],
          PASSWORD,
        ),
      ).toThrow(new RangeError('The ZIP entry name "a" appears twice'));
    });

    it('an invalid modification date', () => {
      expect(() => encryptedZip([{ name: 'a', data, modified: new Date(Number.NaN) }], PASSWORD)).toThrow(RangeError);
    });

    it('more than 65535 entries', () => {
      const entries = Array.from({ length: 65536 }, (_, index): ZipEntry => ({ name: `f${index}`, data }));
      expect(() => encryptedZip(entries, PASSWORD)).toThrow(new RangeError('A ZIP without ZIP64 holds at most 65535 entries, not 65536'));
    });

    it('an archive above 4 GiB - 1, before encrypting anything', () => {
      const sixtyFourMiB = new Uint8Array(64 * 1024 * 1024);
      const entries = Array.from({ length: 64 }, (_, index): ZipEntry => ({ name: `part-${index}.bin`, data: sixtyFourMiB }));
      let randomCalls = 0;
      const random = (size: number): Buffer => {
        randomCalls++;
        return randomBytes(size);
      };

      expect(() => encryptedZip(entries, PASSWORD, random)).toThrow(/under 4 GiB/);
      expect(() => encryptedZip(entries, PASSWORD, random)).toThrow(RangeError);
      expect(randomCalls).toBe(0);
    });
  });
});
