import { createCipheriv, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/**
 * ZIP archives encrypted with WinZip AES-256 (AE-2): the format malware-sharing communities use to deliver
 * samples (password `infected`), opened by 7-Zip, WinZip and zip.js. Layout from PKWARE APPNOTE.TXT and
 * WinZip's "AES Encryption Information: Encryption Specification AE-1 and AE-2".
 */

export interface ZipEntry {
  /** Path inside the archive, `/`-separated, relative, stored as UTF-8. */
  name: string;
  data: Uint8Array;
  /** Defaults to the time of the call. */
  modified?: Date;
}

const LOCAL_FILE_HEADER_SIGNATURE = 0x04034b50;
const CENTRAL_DIRECTORY_HEADER_SIGNATURE = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;
const LOCAL_FILE_HEADER_LENGTH = 30;
const CENTRAL_DIRECTORY_HEADER_LENGTH = 46;
const END_OF_CENTRAL_DIRECTORY_LENGTH = 22;

/** 5.1 is the first APPNOTE version that describes AES encryption. */
const VERSION_NEEDED_TO_EXTRACT = 51;
/** Host MS-DOS (upper byte 0): external attributes 0 then mean a plain file everywhere; spec version 6.3. */
const VERSION_MADE_BY = 63;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_UTF8_NAME = 0x0800;
const METHOD_AES = 99;
const METHOD_STORED = 0;

const AES_EXTRA_FIELD_ID = 0x9901;
const AES_EXTRA_FIELD_DATA_LENGTH = 7;
const AES_EXTRA_FIELD_LENGTH = 4 + AES_EXTRA_FIELD_DATA_LENGTH;
const AE_2 = 2;
const AES_256_STRENGTH = 3;

const SALT_LENGTH = 16;
const KEY_LENGTH = 32;
const PASSWORD_VERIFIER_LENGTH = 2;
const AUTHENTICATION_CODE_LENGTH = 10;
const PBKDF2_ITERATIONS = 1000;
const AES_OVERHEAD = SALT_LENGTH + PASSWORD_VERIFIER_LENGTH + AUTHENTICATION_CODE_LENGTH;

const AES_BLOCK_LENGTH = 16;
/** Keystream produced per call into OpenSSL; bounds the scratch memory (64 KiB to 4 MiB measured alike on 64 MiB). */
const KEYSTREAM_CHUNK_LENGTH = 256 * 1024;

const MAX_UINT16 = 0xffff;
const MAX_UINT32 = 0xffffffff;
const MAX_ENTRIES = MAX_UINT16;
/** Without ZIP64 every size and offset is a 32-bit field, so the whole archive must fit in one. */
const MAX_ARCHIVE_LENGTH = MAX_UINT32;

/** A ZIP whose entries are encrypted with WinZip AES-256 (AE-2), stored (method 0 inside the encryption). */
export function encryptedZip(entries: readonly ZipEntry[], password: string, random: (size: number) => Buffer = randomBytes): Buffer {
  if (password.length === 0) throw new RangeError('The ZIP password must not be empty');
  if (entries.length > MAX_ENTRIES) throw new RangeError(`A ZIP without ZIP64 holds at most ${MAX_ENTRIES} entries, not ${entries.length}`);

  const now = new Date();
  const seenNames = new Set<string>();
  const prepared = entries.map((entry) => {
    validateName(entry.name);
    if (seenNames.has(entry.name)) throw new RangeError(`The ZIP entry name ${JSON.stringify(entry.name)} appears twice`);
    seenNames.add(entry.name);
    const name = Buffer.from(entry.name, 'utf8');
    if (name.length > MAX_UINT16)
      throw new RangeError(`The ZIP entry name ${JSON.stringify(entry.name.slice(0, 40))}… is longer than ${MAX_UINT16} bytes in UTF-8`);
    return { name, data: entry.data, dosTime: dosDateTime(entry.modified ?? now, entry.name) };
  });

  const archiveLength =
    prepared.reduce(
      (sum, entry) =>
        sum +
        LOCAL_FILE_HEADER_LENGTH +
        CENTRAL_DIRECTORY_HEADER_LENGTH +
        2 * (entry.name.length + AES_EXTRA_FIELD_LENGTH) +
        AES_OVERHEAD +
        entry.data.length,
      0,
    ) + END_OF_CENTRAL_DIRECTORY_LENGTH;
  if (archiveLength > MAX_ARCHIVE_LENGTH)
    throw new RangeError(`The ZIP would be ${archiveLength} bytes; without ZIP64 it must stay under 4 GiB`);

  const archive = Buffer.alloc(archiveLength);
  // The AE specification leaves non-ASCII passwords open; 7-Zip and zip.js both use UTF-8.
  const passwordBytes = Buffer.from(password, 'utf8');
  let offset = 0;
  const localHeaderOffsets: number[] = [];
  for (const entry of prepared) {
    localHeaderOffsets.push(offset);
    offset = writeLocalFileHeader(archive, offset, entry);
    offset = writeEncryptedData(archive, offset, entry.data, passwordBytes, random);
  }

  const centralDirectoryOffset = offset;
  prepared.forEach((entry, index) => {
    offset = writeCentralDirectoryHeader(archive, offset, entry, localHeaderOffsets[index]!);
  });
  const centralDirectoryLength = offset - centralDirectoryOffset;

  offset = archive.writeUInt32LE(END_OF_CENTRAL_DIRECTORY_SIGNATURE, offset);
  offset = archive.writeUInt16LE(0, offset); // number of this disk
  offset = archive.writeUInt16LE(0, offset); // disk where the central directory starts
  offset = archive.writeUInt16LE(prepared.length, offset);
  offset = archive.writeUInt16LE(prepared.length, offset);
  offset = archive.writeUInt32LE(centralDirectoryLength, offset);
  offset = archive.writeUInt32LE(centralDirectoryOffset, offset);
  offset = archive.writeUInt16LE(0, offset); // comment length
  if (offset !== archiveLength) throw new Error(`encryptedZip wrote ${offset} bytes of a ${archiveLength}-byte archive`);
  return archive;
}

interface PreparedEntry {
  name: Buffer;
  data: Uint8Array;
  dosTime: { date: number; time: number };
}

// Control characters (C0, DEL, C1) hide or forge parts of a name in listings and terminals.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** Entry names become paths on the analyst's disk when extracted, so anything that could escape the target folder is refused. */
function validateName(name: string): void {
  const quoted = JSON.stringify(name);
  if (name.length === 0) throw new RangeError('A ZIP entry name must not be empty');
  if (CONTROL_CHARACTER.test(name)) throw new RangeError(`The ZIP entry name ${quoted} contains a control character`);
  if (/\p{Surrogate}/u.test(name))
    throw new RangeError(`The ZIP entry name ${quoted} contains a lone surrogate, which UTF-8 cannot encode`);
  if (name.includes('\\')) throw new RangeError(`The ZIP entry name ${quoted} contains a backslash; separate folders with /`);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name))
    throw new RangeError(`The ZIP entry name ${quoted} is absolute; it must be relative`);
  if (name.endsWith('/')) throw new RangeError(`The ZIP entry name ${quoted} names a folder; entries must be files`);
  const segments = name.split('/');
  if (segments.includes('..')) throw new RangeError(`The ZIP entry name ${quoted} contains a .. segment`);
  if (segments.some((segment) => segment === '' || segment === '.'))
    throw new RangeError(`The ZIP entry name ${quoted} contains an empty or . segment`);
}

/** MS-DOS date and time in local time, as ZIP readers interpret them; 2-second resolution, years 1980–2107. */
function dosDateTime(modified: Date, name: string): { date: number; time: number } {
  if (Number.isNaN(modified.getTime())) throw new RangeError(`The modification date of ZIP entry ${JSON.stringify(name)} is invalid`);
  const year = modified.getFullYear();
  if (year < 1980) return { date: (1 << 5) | 1, time: 0 };
  if (year > 2107) return { date: (127 << 9) | (12 << 5) | 31, time: (23 << 11) | (59 << 5) | 29 };
  return {
    date: ((year - 1980) << 9) | ((modified.getMonth() + 1) << 5) | modified.getDate(),
    time: (modified.getHours() << 11) | (modified.getMinutes() << 5) | (modified.getSeconds() >> 1),
  };
}

/** The fields that the local file header and the central directory header share, from "version needed" on. */
function writeCommonFields(archive: Buffer, offset: number, entry: PreparedEntry): number {
  offset = archive.writeUInt16LE(VERSION_NEEDED_TO_EXTRACT, offset);
  offset = archive.writeUInt16LE(FLAG_ENCRYPTED | FLAG_UTF8_NAME, offset);
  offset = archive.writeUInt16LE(METHOD_AES, offset);
  offset = archive.writeUInt16LE(entry.dosTime.time, offset);
  offset = archive.writeUInt16LE(entry.dosTime.date, offset);
  offset = archive.writeUInt32LE(0, offset); // CRC-32: AE-2 leaves it out, the authentication code replaces it
  offset = archive.writeUInt32LE(AES_OVERHEAD + entry.data.length, offset);
  offset = archive.writeUInt32LE(entry.data.length, offset);
  offset = archive.writeUInt16LE(entry.name.length, offset);
  return archive.writeUInt16LE(AES_EXTRA_FIELD_LENGTH, offset);
}

function writeAesExtraField(archive: Buffer, offset: number): number {
  offset = archive.writeUInt16LE(AES_EXTRA_FIELD_ID, offset);
  offset = archive.writeUInt16LE(AES_EXTRA_FIELD_DATA_LENGTH, offset);
  offset = archive.writeUInt16LE(AE_2, offset);
  offset += archive.write('AE', offset, 'latin1');
  offset = archive.writeUInt8(AES_256_STRENGTH, offset);
  return archive.writeUInt16LE(METHOD_STORED, offset);
}

function writeLocalFileHeader(archive: Buffer, offset: number, entry: PreparedEntry): number {
  offset = archive.writeUInt32LE(LOCAL_FILE_HEADER_SIGNATURE, offset);
  offset = writeCommonFields(archive, offset, entry);
  offset += entry.name.copy(archive, offset);
  return writeAesExtraField(archive, offset);
}

function writeCentralDirectoryHeader(archive: Buffer, offset: number, entry: PreparedEntry, localHeaderOffset: number): number {
  offset = archive.writeUInt32LE(CENTRAL_DIRECTORY_HEADER_SIGNATURE, offset);
  offset = archive.writeUInt16LE(VERSION_MADE_BY, offset);
  offset = writeCommonFields(archive, offset, entry);
  offset = archive.writeUInt16LE(0, offset); // comment length
  offset = archive.writeUInt16LE(0, offset); // disk number start
  offset = archive.writeUInt16LE(0, offset); // internal attributes
  offset = archive.writeUInt32LE(0, offset); // external attributes
  offset = archive.writeUInt32LE(localHeaderOffset, offset);
  offset += entry.name.copy(archive, offset);
  return writeAesExtraField(archive, offset);
}

/** Writes salt, password verifier, ciphertext and authentication code at `offset`; returns the offset after them. */
function writeEncryptedData(archive: Buffer, offset: number, data: Uint8Array, password: Buffer, random: (size: number) => Buffer): number {
  const salt = random(SALT_LENGTH);
  if (salt.length !== SALT_LENGTH) throw new Error(`The random source returned ${salt.length} bytes instead of ${SALT_LENGTH}`);
  const derived = pbkdf2Sync(password, salt, PBKDF2_ITERATIONS, 2 * KEY_LENGTH + PASSWORD_VERIFIER_LENGTH, 'sha1');
  const encryptionKey = derived.subarray(0, KEY_LENGTH);
  const authenticationKey = derived.subarray(KEY_LENGTH, 2 * KEY_LENGTH);

  offset += salt.copy(archive, offset);
  offset += derived.copy(archive, offset, 2 * KEY_LENGTH);
  const ciphertext = archive.subarray(offset, offset + data.length);
  aesCtrLittleEndian(encryptionKey, data, ciphertext);
  offset += data.length;
  offset += createHmac('sha1', authenticationKey).update(ciphertext).digest().copy(archive, offset, 0, AUTHENTICATION_CODE_LENGTH);
  return offset;
}

/**
 * AES-256 in counter mode as WinZip defines it: the 16-byte counter block is a little-endian integer starting
 * at 1. OpenSSL's CTR mode counts big-endian, so the keystream is AES-ECB over counter blocks built here.
 */
function aesCtrLittleEndian(key: Buffer, plaintext: Uint8Array, ciphertext: Buffer): void {
  const blockCipher = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  const counterBlocks = new Uint8Array(Math.min(KEYSTREAM_CHUNK_LENGTH, roundUpToBlock(plaintext.length)));
  let blockNumber = 1;
  for (let start = 0; start < plaintext.length; start += KEYSTREAM_CHUNK_LENGTH) {
    const length = Math.min(KEYSTREAM_CHUNK_LENGTH, plaintext.length - start);
    const counterLength = roundUpToBlock(length);
    // Under 4 GiB of data means under 2^28 blocks: only the low four bytes of a counter block are ever non-zero.
    for (let position = 0; position < counterLength; position += AES_BLOCK_LENGTH, blockNumber++) {
      counterBlocks[position] = blockNumber & 0xff;
      counterBlocks[position + 1] = (blockNumber >>> 8) & 0xff;
      counterBlocks[position + 2] = (blockNumber >>> 16) & 0xff;
      counterBlocks[position + 3] = blockNumber >>> 24;
    }
    // ECB keeps no state between blocks, so one cipher object serves every chunk.
    const keystream = blockCipher.update(counterBlocks.subarray(0, counterLength));
    xorInto(keystream, plaintext.subarray(start, start + length));
    ciphertext.set(keystream.subarray(0, length), start);
  }
}

const roundUpToBlock = (length: number): number => Math.ceil(length / AES_BLOCK_LENGTH) * AES_BLOCK_LENGTH;

/** target ^= source over source's length, by 32-bit words when both are aligned to them (about 3× faster). */
function xorInto(target: Uint8Array, source: Uint8Array): void {
  const length = source.length;
  let index = 0;
  if (target.byteOffset % 4 === 0 && source.byteOffset % 4 === 0) {
    const words = length >>> 2;
    const targetWords = new Uint32Array(target.buffer, target.byteOffset, words);
    const sourceWords = new Uint32Array(source.buffer, source.byteOffset, words);
    for (let word = 0; word < words; word++) targetWords[word]! ^= sourceWords[word]!;
    index = words << 2;
  }
  for (; index < length; index++) target[index]! ^= source[index]!;
}
