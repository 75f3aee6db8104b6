/** The regular files of a (gunzipped) tar archive, by path: enough for the CIFAR archives. */
export function readTar(bytes: Uint8Array, what: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const text = (at: number, len: number) => {
    const raw = bytes.subarray(at, at + len);
    const end = raw.indexOf(0);
    return new TextDecoder().decode(end < 0 ? raw : raw.subarray(0, end));
  };
  let pos = 0;
  while (pos + 512 <= bytes.length) {
    if (bytes[pos] === 0) break; // the zero blocks that end the archive
    const name = text(pos, 100);
    const size = Number.parseInt(text(pos + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(bytes[pos + 156] as number);
    const prefix = text(pos + 257, 6).startsWith('ustar') ? text(pos + 345, 155) : '';
    if (!Number.isFinite(size) || pos + 512 + size > bytes.length)
      throw new Error(`${what}: truncated or corrupt tar archive at entry '${name}'.`);
    if (type === '0' || type === '\0')
      files.set(prefix ? `${prefix}/${name}` : name, bytes.subarray(pos + 512, pos + 512 + size));
    pos += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}
