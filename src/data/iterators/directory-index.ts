/**
 * Lists the images of a class-per-folder dataset with Keras's rules (synchronously, as Keras
 * does at construction): class folders sorted by name (or as given), each walked recursively
 * with folders in path order and files sorted, extensions matched case-insensitively, and an
 * optional slice of each class for validation splits. Node-only (through node.ts).
 */
import { nodeFs, nodePath } from '../node.js';

/** `flow_from_directory`'s extensions (Keras's `white_list_formats`). */
export const IDG_IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'bmp', 'ppm', 'tif', 'tiff'] as const;

export interface DirectoryListing {
  classNames: string[];
  /** Paths relative to the dataset folder, class folder first ("cats/001.jpg"). */
  filenames: string[];
  /** Class index of each file. */
  classes: Int32Array;
}

export interface ListOptions {
  /** Explicit class folder names, in index order; default: every subfolder, sorted. */
  classes?: readonly string[] | null;
  /** Lower-case extensions without the dot. */
  extensions: readonly string[];
  followLinks: boolean;
  /** [start, stop) fractions of each class's files, or null for all. */
  split: readonly [number, number] | null;
  /** Skip class folders whose name starts with '.' (Keras 3's index_directory does). */
  skipHidden: boolean;
  what: string;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The class folders of `dir`, by Keras's rule (flow_from_directory and
 * image_dataset_from_directory alike): every subfolder is a class, an empty one too, and a
 * symlink to a folder too, since os.path.isdir follows links. Keras's `follow_links` (default
 * false) only decides whether links found *inside* a class folder are walked; a linked class
 * folder itself is always read, as os.walk reads its top through a link. The CLI counts classes
 * through this same function (src/cli/image-folder.ts), so its model and the iterator agree.
 */
export function listSubdirectories(dir: string, what: string, skipHidden: boolean): string[] {
  const fs = nodeFs(what);
  const path = nodePath(what);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    throw new Error(`${what}: cannot read directory '${dir}': ${(err as Error).message}`);
  }
  return names
    .filter((name) => {
      if (skipHidden && name.startsWith('.')) return false;
      try {
        return fs.statSync(path.join(dir, name)).isDirectory();
      } catch {
        return false;
      }
    })
    .sort(byCodePoint);
}

/** os.walk(top, followlinks) with roots in sorted order and sorted file names, filtered by extension. */
function walkImages(top: string, extensions: readonly string[], followLinks: boolean, what: string): string[] {
  const fs = nodeFs(what);
  const path = nodePath(what);
  const roots: { root: string; files: string[] }[] = [];
  const visit = (dir: string, seen: Set<string>): void => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      throw new Error(`${what}: cannot read directory '${dir}': ${(err as Error).message}`);
    }
    const files: string[] = [];
    const subdirs: string[] = [];
    for (const e of entries) {
      const full = path.join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = fs.statSync(full);
          isDir = st.isDirectory();
          isFile = !isDir;
        } catch {
          isFile = true; // a dangling link is listed among files, as os.walk does
        }
        if (isDir && !followLinks) {
          isDir = false;
          isFile = false;
        }
      }
      if (isDir) subdirs.push(full);
      else if (isFile) files.push(e.name);
    }
    roots.push({ root: dir, files });
    for (const sub of subdirs) {
      const real = fs.realpathSync(sub);
      if (seen.has(real)) continue; // a link cycle
      visit(sub, new Set([...seen, real]));
    }
  };
  visit(top, new Set([fs.realpathSync(top)]));
  roots.sort((a, b) => byCodePoint(a.root, b.root));
  const out: string[] = [];
  const exts = extensions.map((e) => `.${e}`);
  for (const { root, files } of roots) {
    for (const name of files.sort(byCodePoint)) {
      const lower = name.toLowerCase();
      if (exts.some((e) => lower.endsWith(e))) out.push(path.join(root, name));
    }
  }
  return out;
}

export function listDirectory(directory: string, opts: ListOptions): DirectoryListing {
  const fs = nodeFs(opts.what);
  const path = nodePath(opts.what);
  if (!fs.existsSync(directory) || !fs.statSync(directory).isDirectory()) {
    throw new Error(`${opts.what}: directory '${directory}' does not exist or is not a directory.`);
  }
  const classNames =
    opts.classes && opts.classes.length > 0 ? [...opts.classes] : listSubdirectories(directory, opts.what, opts.skipHidden);
  const filenames: string[] = [];
  const classes: number[] = [];
  classNames.forEach((name, index) => {
    const classDir = path.join(directory, name);
    if (!fs.existsSync(classDir)) throw new Error(`${opts.what}: class folder '${classDir}' does not exist.`);
    let files = walkImages(classDir, opts.extensions, opts.followLinks, opts.what);
    if (opts.split) {
      const n = files.length;
      files = files.slice(Math.trunc(opts.split[0] * n), Math.trunc(opts.split[1] * n));
    }
    for (const file of files) {
      filenames.push(path.join(name, path.relative(classDir, file)));
      classes.push(index);
    }
  });
  return { classNames, filenames, classes: Int32Array.from(classes) };
}
