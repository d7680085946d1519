// A reader for the archives PGlite dumps its data directory to (dumpDataDir: ustar, regular
// files and directories only), and a writer of the same (the build's snapshot of a database
// PGlite has shut down, snapshot-build.ts). roomledger reads its migrated snapshot
// (snapshot.ts) with it rather than through PGlite's own loader, which copies every file twice and walks every
// parent directory of every file: the files come out as views into the archive's bytes,
// and the caller writes them where they belong (PGlite's memory file system, or a new data
// directory on disk). Anything else in an archive (links, devices, a path that leaves the
// directory, a damaged header) is refused: this reads only what the build made.

export interface TarEntries {
  /** Directories, in archive order (a parent before its children), relative: "base/5". */
  dirs: string[];
  /** Regular files, relative paths, their bytes as views into the archive. */
  files: { path: string; data: Uint8Array }[];
}

export class TarError extends Error {
  override readonly name = "TarError";
}

const BLOCK = 512;
/** The name prefix's length as read and written here: 131, star's, which fits ustar's 155 too. */
const PREFIX = 131;
const ascii = new TextDecoder("latin1");

function field(header: Uint8Array, offset: number, length: number): string {
  const bytes = header.subarray(offset, offset + length);
  const end = bytes.indexOf(0);
  return ascii.decode(end === -1 ? bytes : bytes.subarray(0, end));
}

function octal(header: Uint8Array, offset: number, length: number, what: string): number {
  const text = field(header, offset, length).trim();
  if (!/^[0-7]{1,11}$/.test(text)) throw new TarError(`tar: bad ${what} field ${JSON.stringify(text)}`);
  return Number.parseInt(text, 8);
}

/** The header's checksum: the sum of its bytes, its own field counted as spaces. */
function checksum(header: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum;
}

function relative(name: string): string {
  const parts = name.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.length === 0 || parts.includes("..")) throw new TarError(`tar: refused path ${JSON.stringify(name)}`);
  return parts.join("/");
}

/** The directories and regular files of a ustar archive (uncompressed). */
export function readTar(archive: Uint8Array): TarEntries {
  const out: TarEntries = { dirs: [], files: [] };
  let at = 0;
  while (at + BLOCK <= archive.length) {
    const header = archive.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) return out; // the end-of-archive blocks
    if (octal(header, 148, 8, "checksum") !== checksum(header)) throw new TarError(`tar: damaged header at byte ${at}`);
    const magic = field(header, 257, 6);
    const prefix = magic.startsWith("ustar") ? field(header, 345, PREFIX) : "";
    const name = prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100);
    const size = octal(header, 124, 12, "size");
    const type = String.fromCharCode(header[156]!);
    const start = at + BLOCK;
    if (start + size > archive.length) throw new TarError(`tar: ${name} runs past the end of the archive`);
    if (type === "0" || type === "\0") out.files.push({ path: relative(name), data: archive.subarray(start, start + size) });
    else if (type === "5") out.dirs.push(relative(name));
    else throw new TarError(`tar: ${name} is of type ${JSON.stringify(type)}, not a file or a directory`);
    at = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  throw new TarError("tar: the archive ends without its end-of-archive blocks");
}

function putField(header: Uint8Array, offset: number, length: number, text: string): void {
  if (text.length > length) throw new TarError(`tar: ${JSON.stringify(text)} does not fit its field`);
  for (let i = 0; i < text.length; i++) header[offset + i] = text.charCodeAt(i);
}

/** An octal field: digits padded with zeros, then NUL. */
function putOctal(header: Uint8Array, offset: number, length: number, value: number): void {
  putField(header, offset, length, `${value.toString(8).padStart(length - 1, "0")}\0`);
}

/**
 * A ustar archive of these directories and files (what readTar gives back), for the build's
 * snapshot, which is taken from a database PGlite has shut down (snapshot-build.ts), where
 * PGlite's own dump needs a running one. Modes 0700 and 0600, owner 0, time 0: the build's
 * output does not depend on when or by whom it was made. A path longer than 100 + PREFIX
 * characters is refused (PostgreSQL's are ~30).
 */
export function writeTar({ dirs, files }: TarEntries): Uint8Array {
  const entries = [...dirs.map((path) => ({ path, data: null })), ...files.map((f) => ({ path: f.path, data: f.data }))];
  const size = entries.reduce((n, e) => n + BLOCK + (e.data ? Math.ceil(e.data.length / BLOCK) * BLOCK : 0), 2 * BLOCK);
  const out = new Uint8Array(size);
  let at = 0;
  for (const { path, data } of entries) {
    const name = relative(path) + (data ? "" : "/");
    const split = name.length > 100 ? name.lastIndexOf("/", name.length - 2) : -1;
    if (name.length > 100 && (split <= 0 || split > PREFIX || name.length - split - 1 > 100))
      throw new TarError(`tar: path too long ${JSON.stringify(path)}`);
    const header = out.subarray(at, at + BLOCK);
    putField(header, 0, 100, split > 0 ? name.slice(split + 1) : name);
    putOctal(header, 100, 8, data ? 0o600 : 0o700);
    putOctal(header, 108, 8, 0);
    putOctal(header, 116, 8, 0);
    putOctal(header, 124, 12, data ? data.length : 0);
    putOctal(header, 136, 12, 0);
    header[156] = (data ? "0" : "5").charCodeAt(0);
    putField(header, 257, 6, "ustar\0");
    putField(header, 263, 2, "00");
    if (split > 0) putField(header, 345, PREFIX, name.slice(0, split));
    // The checksum: six octal digits, NUL, space (its own field counted as spaces).
    putField(header, 148, 8, `${checksum(header).toString(8).padStart(6, "0")}\0 `);
    at += BLOCK;
    if (data) {
      out.set(data, at);
      at += Math.ceil(data.length / BLOCK) * BLOCK;
    }
  }
  return out;
}
