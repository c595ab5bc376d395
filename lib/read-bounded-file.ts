/**
 * Reads a file that a person named (CLI `validate`, `--runbook FILE`, the worker's runbook folder)
 * only if it is a regular file of bounded size: a device (`/dev/zero`), a FIFO, a socket or a
 * directory is refused at once instead of hanging or reading without end. The file is opened
 * non-blocking (a FIFO without a writer would block `open`), checked with `fstat` on the open
 * descriptor (no race between the check and the read), and at most `maxBytes + 1` bytes are read.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** A path that is not a readable regular file within the size bound; `reason` is the one-line why. */
export class BoundedFileError extends Error {
  override readonly name = 'BoundedFileError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

function kindOf(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The UTF-8 text of `path`, refused unless it is a regular file of at most `maxBytes` bytes. */
export function readBoundedTextFile(path: string, maxBytes: number): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BoundedFileError(path, 'file not found; check the path');
    if (code === 'EACCES' || code === 'EPERM') throw new BoundedFileError(path, 'permission denied; check the file mode');
    if (code === 'ENXIO') throw new BoundedFileError(path, 'a FIFO or socket, not a regular file; pass a runbook YAML file');
    throw new BoundedFileError(path, `cannot open (${code ?? String(err)}); pass a runbook YAML file`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new BoundedFileError(path, `${kindOf(st)}, not a regular file; pass a runbook YAML file`);
    if (st.size > maxBytes) throw new BoundedFileError(path, `${st.size} bytes; at most ${maxBytes} bytes are read`);
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
      if (n > maxBytes) throw new BoundedFileError(path, `larger than ${maxBytes} bytes (it grew while read)`);
      if (n === buf.length) break;
    }
    return buf.subarray(0, n).toString('utf8');
  } catch (err) {
    if (err instanceof BoundedFileError) throw err;
    throw new BoundedFileError(path, `cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  } finally {
    closeSync(fd);
  }
}
