/** The shadow text's building block (shadow-text.ts): code units, each with the original span it was read from. */

const SPACE = 0x20;

/** A growable run of code units, each with its original span. */
export class Builder {
  units: Uint16Array;
  start: Int32Array;
  end: Int32Array;
  length = 0;

  constructor(capacity: number) {
    const size = Math.max(16, capacity);
    this.units = new Uint16Array(size);
    this.start = new Int32Array(size);
    this.end = new Int32Array(size);
  }

  push(unit: number, start: number, end: number): void {
    if (this.length === this.units.length) this.grow();
    this.units[this.length] = unit;
    this.start[this.length] = start;
    this.end[this.length] = end;
    this.length += 1;
  }

  /** Whitespace runs read as one space: a space after a space widens the first instead. */
  emit(unit: number, start: number, end: number): void {
    if (unit === SPACE && this.length > 0 && this.units[this.length - 1] === SPACE) {
      this.end[this.length - 1] = end;
      return;
    }
    this.push(unit, start, end);
  }

  /** Copies input units [from, to) with their spans unchanged. */
  copy(input: Builder, from: number, to: number): void {
    while (this.length + (to - from) > this.units.length) this.grow();
    if (to - from < 64) {
      // Short runs are the common case in crafted text; three subarray views per run would cost more than the copy.
      for (let k = from, at = this.length; k < to; k += 1, at += 1) {
        this.units[at] = input.units[k]!;
        this.start[at] = input.start[k]!;
        this.end[at] = input.end[k]!;
      }
    } else {
      this.units.set(input.units.subarray(from, to), this.length);
      this.start.set(input.start.subarray(from, to), this.length);
      this.end.set(input.end.subarray(from, to), this.length);
    }
    this.length += to - from;
  }

  emitString(text: string, start: number, end: number): void {
    for (let k = 0; k < text.length; k += 1) this.emit(text.charCodeAt(k), start, end);
  }

  last(): number {
    return this.length > 0 ? this.units[this.length - 1]! : -1;
  }

  private grow(): void {
    const size = this.units.length * 2;
    const units = new Uint16Array(size);
    const start = new Int32Array(size);
    const end = new Int32Array(size);
    units.set(this.units);
    start.set(this.start);
    end.set(this.end);
    this.units = units;
    this.start = start;
    this.end = end;
  }

  text(): string {
    return decodeUnits(this.units.subarray(0, this.length));
  }
}

/** UTF-16 code units as a string; a lone surrogate becomes U+FFFD, also one unit, so offsets are unchanged. */
export function decodeUnits(units: Uint16Array): string {
  if (LITTLE_ENDIAN) return UTF16.decode(units);
  const chunks: string[] = [];
  for (let i = 0; i < units.length; i += 8192) chunks.push(String.fromCharCode(...units.subarray(i, i + 8192)));
  return chunks.join('');
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const UTF16 = new TextDecoder('utf-16le');
