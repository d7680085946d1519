// PGlite's in-memory file system for a start from the migrated snapshot (openPglite in
// pglite.ts uses it in memory): the snapshot's files put in place before PostgreSQL starts, and
// the time-zone files of PGlite's own bundle made only when PostgreSQL looks them up.
import { MemoryFS, PGlite } from "@electric-sql/pglite";
import type { Snapshot } from "./snapshot.ts";
import { startMark } from "./start-marks.ts";

/**
 * PGlite's in-memory file system, with the snapshot's files put in place before PostgreSQL
 * starts (PGlite calls initialSyncFs() right after its module is made, then finds PG_VERSION
 * and resumes that database). Each file is handed over without a copy (canOwn): it keeps a
 * view into the inflated archive and writes into it, which is why a snapshot serves one start.
 * No snapshot after all (a build without one): an empty file system, as MemoryFS's, where
 * PGlite makes a new cluster.
 */
export class SnapshotMemoryFS extends MemoryFS {
  readonly #snapshot: Promise<Snapshot | null>;
  constructor(snapshot: Promise<Snapshot | null>) {
    super();
    this.#snapshot = snapshot;
  }
  // PGlite's Filesystem interface: the emscripten options its module is made with.
  override async init(pg: PGlite, emscriptenOptions: EmscriptenOptions): Promise<{ emscriptenOpts: EmscriptenOptions }> {
    const { emscriptenOpts } = await super.init(pg, emscriptenOptions);
    return { emscriptenOpts: { ...emscriptenOpts, preRun: [...(emscriptenOpts.preRun ?? []), deferTimeZoneFiles] } };
  }
  override async initialSyncFs(): Promise<void> {
    startMark("pglite: instance made, fs bundle unpacked");
    const snapshot = await this.#snapshot;
    startMark("pglite: snapshot in hand");
    if (!snapshot) return;
    const fs = this.pg!.Module.FS;
    const root = PGlite.paths.PGDATA;
    fs.mkdirTree(root);
    for (const dir of snapshot.dirs) fs.mkdirTree(`${root}/${dir}`);
    // FS.writeFile would walk each file's path twice (to open it, then to create it): ~22 ms of
    // path parsing for the snapshot's 684 files (profiled). Created first, then opened by node:
    // once. Mode 0666, as writeFile gives.
    for (const f of snapshot.files) {
      const stream = fs.open(fs.create(`${root}/${f.path}`, 0o666), "w");
      fs.write(stream, f.data, 0, f.data.length, 0, true);
      fs.close(stream);
    }
    startMark("pglite: snapshot's files placed");
  }
}

// PGlite's file-system bundle (pglite.data) holds 699 files, and emscripten's file packager
// makes every one of them in the memory file system at every start, before PostgreSQL runs:
// ~0.1 ms each on the bench machine (a path parsed and walked, a node made, the file opened,
// written and closed). 598 of them are the time-zone database (share/postgresql/timezone/),
// of which PostgreSQL reads only the zones it is asked for: at the start the configured one
// (UTC), which it looks for by listing the directory's top level (pg_open_tzfile matches names
// case-insensitively), later whatever SET TIME ZONE, AT TIME ZONE or pg_timezone_names names.
// So those files are made when first looked up instead: the packager makes each bundled file
// through Module.FS_createDataFile (emscripten's hook for it), which a step of PGlite's
// preRun, run before the packager's own, replaces for that subtree by a note of the file's
// bytes (a view into the bundle, as the file would have been); each directory there gets
// lookup and readdir operations (the operations emscripten's file systems implement) that make
// a noted file on its first lookup and list noted names with the made ones. PostgreSQL sees
// the same tree: a listing (its case-insensitive search, pg_timezone_names' walk) looks each
// name up, and so makes them. Anything unexpected (no such hook, a path outside the subtree)
// leaves the file to the packager, as before.
const TIME_ZONES = `${PGlite.paths.PG_ROOT}/share/postgresql/timezone`;

/** The options of PGlite's emscripten module, as its Filesystem interface passes them (PGlite does not export their type). */
type EmscriptenOptions = Parameters<MemoryFS["init"]>[1];
/** The parts of emscripten's module and file system the deferral uses. */
interface FsNode {
  node_ops: {
    lookup(parent: FsNode, name: string): FsNode;
    readdir(node: FsNode): string[];
  };
}
interface PackagerModule {
  FS_createDataFile?: (parent: string, name: string | null, data: Uint8Array, read: boolean, write: boolean, own: boolean) => void;
  FS: {
    lookupPath(path: string): { node: FsNode };
    lookupNode(parent: FsNode, name: string): FsNode;
    createDataFile(parent: FsNode, name: string, data: Uint8Array, read: boolean, write: boolean, own: boolean): void;
  };
}

function deferTimeZoneFiles(mod: Parameters<NonNullable<EmscriptenOptions["preRun"]>[number]>[0]): void {
  const m = mod as unknown as PackagerModule;
  const create = m.FS_createDataFile;
  if (typeof create !== "function") return;
  const noted = new Map<string, Map<string, Uint8Array>>();
  m.FS_createDataFile = (parent, name, data, read, write, own) => {
    const path = name === null ? parent : `${parent}/${name}`;
    const at = path.lastIndexOf("/");
    if (!path.startsWith(`${TIME_ZONES}/`) || !read || !own) return create(parent, name, data, read, write, own);
    const dir = path.slice(0, at);
    let files = noted.get(dir);
    if (!files) {
      // The packager makes every directory before any file (FS_createPath).
      files = new Map();
      noted.set(dir, files);
      deferInto(m.FS, m.FS.lookupPath(dir).node, files);
    }
    files.set(path.slice(at + 1), data);
  };
}

/** Gives `dir` a lookup that makes a noted file the first time it is looked for, and a listing with the noted names. */
function deferInto(fs: PackagerModule["FS"], dir: FsNode, files: Map<string, Uint8Array>): void {
  const ops = dir.node_ops;
  dir.node_ops = {
    ...ops,
    lookup(parent, name) {
      const data = files.get(name);
      if (data === undefined) return ops.lookup(parent, name);
      // Taken out first: making it looks the name up again, and must find nothing.
      files.delete(name);
      fs.createDataFile(parent, name, data, true, true, true);
      return fs.lookupNode(parent, name);
    },
    readdir(node) {
      return [...ops.readdir(node), ...files.keys()];
    },
  };
}
