import { closeSync, constants, fstatSync, openSync, type Stats } from 'node:fs';

/**
 * Opens `path` for reading without following a link (a link fails with ELOOP) and without
 * hanging on a FIFO swapped in since it was listed (O_NONBLOCK), and gives `use` the descriptor
 * and what fstat says of the file it opened, the file itself and not what a path named before.
 * Closed whatever `use` does. For a root process reading a directory others may have touched: the
 * PKI dirs, and the previous output a re-render carries files over from.
 */
export function withFileNoFollow<T>(path: string, use: (fd: number, info: Stats) => T): T {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  try {
    return use(fd, fstatSync(fd));
  } finally {
    closeSync(fd);
  }
}
