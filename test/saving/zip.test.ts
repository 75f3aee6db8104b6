import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { SavingError } from '../../src/saving/errors.js';
import { ZipArchive } from '../../src/saving/zip/zip-reader.js';
import { writeZip } from '../../src/saving/zip/zip-writer.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function archive(): Uint8Array {
  return writeZip(
    new Map([
      ['metadata.json', strToU8('{"keras_version": "3.5.0"}')],
      ['config.json', strToU8('{"class_name": "Sequential"}')],
      ['model.weights.h5', new Uint8Array(5000).map((_, i) => i % 251)],
    ]),
  );
}

/** Replaces every occurrence of an ASCII string (same length) in the archive's bytes. */
function renameInPlace(bytes: Uint8Array, from: string, to: string): Uint8Array {
  expect(from.length).toBe(to.length);
  const out = bytes.slice();
  const needle = strToU8(from);
  for (let i = 0; i + needle.length <= out.length; i++) {
    if (needle.every((b, k) => out[i + k] === b)) out.set(strToU8(to), i);
  }
  return out;
}

describe('zip reader', () => {
  it('reads back what the writer stored', () => {
    const zip = ZipArchive.open(archive(), 'model.keras');
    expect(zip.names().sort()).toEqual(['config.json', 'metadata.json', 'model.weights.h5']);
    expect(text(zip.read('config.json'))).toBe('{"class_name": "Sequential"}');
    expect(zip.read('model.weights.h5')[300]).toBe(300 % 251);
  });

  it('reads deflated entries and checks their CRC', () => {
    const bytes = zipSync({ 'a.txt': strToU8('hello '.repeat(1000)) }, { level: 6 });
    expect(text(ZipArchive.open(bytes, 'x.keras').read('a.txt'))).toBe('hello '.repeat(1000));
  });

  it('names a missing entry', () => {
    expect(() => ZipArchive.open(archive(), 'm.keras').read('nope.json')).toThrow(
      /m\.keras: the archive has no entry 'nope\.json'/,
    );
  });

  it.each([
    ['../x', /'\.\.\/x'.*outside the archive/],
    ['a/../../x', /outside the archive/],
    ['/etc/passwd', /absolute path/],
    ['C:/x', /drive letter/],
    ['a\\b', /backslash/],
  ])('refuses an entry named %s', (name, message) => {
    const bytes = zipSync({ [name]: strToU8('x') });
    expect(() => ZipArchive.open(bytes, 'evil.keras')).toThrow(message);
  });

  it('refuses symbolic links', () => {
    const bytes = zipSync({ link: [strToU8('/etc/passwd'), { os: 3, attrs: (0o120777 << 16) >>> 0 }] });
    expect(() => ZipArchive.open(bytes, 'evil.keras')).toThrow(/'link': it is a symbolic link/);
  });

  it('refuses duplicate names', () => {
    const bytes = renameInPlace(zipSync({ 'a.json': strToU8('1'), 'b.json': strToU8('2') }), 'b.json', 'a.json');
    expect(() => ZipArchive.open(bytes, 'dup.keras')).toThrow(/'a\.json' appears twice/);
  });

  it('refuses entries past the size limits (zip bombs)', () => {
    const bomb = zipSync({ 'zeros.bin': new Uint8Array(4 << 20) }, { level: 9 });
    expect(bomb.length).toBeLessThan(20_000);
    const limits = { maxEntries: 10, maxEntryBytes: 1 << 20, maxTotalBytes: 1 << 30 };
    expect(() => ZipArchive.open(bomb, 'bomb.keras', limits)).toThrow(/declares 4194304 bytes, more than the limit of 1048576/);
    const total = { maxEntries: 10, maxEntryBytes: 8 << 20, maxTotalBytes: 1 << 20 };
    expect(() => ZipArchive.open(bomb, 'bomb.keras', total)).toThrow(/add up to more than the limit/);
    const many = zipSync(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, strToU8('x')])));
    expect(() => ZipArchive.open(many, 'many.keras', limits)).toThrow(/lists 20 entries, more than the limit of 10/);
  });

  it('refuses an entry that inflates past its declared size', () => {
    const bytes = zipSync({ 'zeros.bin': new Uint8Array(100_000) }, { level: 9 });
    // Lower the declared size in the central directory (offset 24 of its header) to 1000.
    const view = new DataView(bytes.buffer);
    const central = bytes.findIndex((_, i) => i + 4 <= bytes.length && view.getUint32(i, true) === 0x02014b50);
    view.setUint32(central + 24, 1000, true);
    expect(() => ZipArchive.open(bytes, 'lying.keras').read('zeros.bin')).toThrow(/inflates past its declared 1000 bytes/);
  });

  it('refuses overlapping entries', () => {
    const bytes = zipSync({ 'a.bin': strToU8('aaaa'), 'b.bin': strToU8('bbbb') });
    const view = new DataView(bytes.buffer);
    const centrals: number[] = [];
    for (let i = 0; i + 4 <= bytes.length; i++) if (view.getUint32(i, true) === 0x02014b50) centrals.push(i);
    view.setUint32(centrals[1]! + 42, view.getUint32(centrals[0]! + 42, true), true);
    expect(() => ZipArchive.open(bytes, 'overlap.keras')).toThrow(/overlap/);
  });

  it('gives a clear error for an archive truncated at every 10% of its length', () => {
    const bytes = archive();
    for (let tenth = 0; tenth < 10; tenth++) {
      const cut = bytes.subarray(0, Math.floor((bytes.length * tenth) / 10));
      expect(() => ZipArchive.open(cut, 'cut.keras'), `cut at ${tenth}0%`).toThrow(SavingError);
      expect(() => ZipArchive.open(cut, 'cut.keras')).toThrow(/cut\.keras: .*(truncated|not a ZIP archive)/);
    }
  });

  it('detects a flipped bit in a header or in the data', () => {
    const bytes = archive();
    const flippedHeader = bytes.slice();
    flippedHeader[0]! ^= 0x01; // local header signature of the first entry
    expect(() => {
      const zip = ZipArchive.open(flippedHeader, 'flip.keras');
      for (const name of zip.names()) zip.read(name);
    }).toThrow(/flip\.keras: .*(corrupt|damaged)/);
    const flippedData = bytes.slice();
    const at = bytes.length - 3000; // inside model.weights.h5's stored bytes
    flippedData[at]! ^= 0x40;
    expect(() => ZipArchive.open(flippedData, 'flip.keras').read('model.weights.h5')).toThrow(/CRC-32 does not match/);
  });

  it('says when bytes are not a ZIP archive at all', () => {
    expect(() => ZipArchive.open(strToU8('{"not": "a zip archive, just some json text"}'), 'a.keras')).toThrow(
      /a\.keras: is not a ZIP archive/,
    );
  });

  it('the writer refuses unsafe names', () => {
    expect(() => writeZip(new Map([['../x', new Uint8Array(1)]]))).toThrow(/outside the archive/);
  });
});
