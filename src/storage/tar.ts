// A reader for the archives PGlite dumps its data directory to (dumpDataDir: ustar, regular
// files and directories only). roomledger reads its migrated snapshot (snapshot.ts) with it
// rather than through PGlite's own loader, which copies every file twice and walks every
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
    const prefix = magic.startsWith("ustar") ? field(header, 345, 131) : "";
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
