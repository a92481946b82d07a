import { appError, AppFailure, type AppError } from '../../shared/errors.ts';

/**
 * What a failure of the store (SQLite's codes, or the file system's under the spool) means to
 * a person, and what to do about it; null for anything else. Used for every call, at start-up,
 * and by the sender, so "disk full" reads the same wherever it happens.
 */
export function storeFailure(error: unknown): AppError | null {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) {
    return appError(
      'STORE',
      "Posthorn's database is locked by another program, so nothing could be saved.",
      'Close any other program using the data folder (a database viewer, a backup or sync tool, another Posthorn), then try again. Nothing was changed.',
    );
  }
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC' || code === 'EDQUOT') {
    return appError(
      'STORE',
      'The disk is full, so Posthorn could not save this.',
      'Free some space on the disk, then try again. Everything saved before is still there.',
    );
  }
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
    return appError(
      'STORE',
      "Posthorn's database file (posthorn.sqlite in the data folder) is damaged.",
      'Quit Posthorn and move posthorn.sqlite out of the data folder to start afresh. Keep that file: it holds your unsent messages up to 256 KB (larger ones are in the spool folder), and sqlite3\'s ".recover" can often rescue it.',
    );
  }
  if (/^SQLITE_(READONLY|CANTOPEN|IOERR|PERM)/.test(code) || code === 'EROFS' || code === 'EACCES' || code === 'EIO') {
    return appError(
      'STORE',
      `Posthorn could not read or write its data folder (${code}).`,
      'Check that the data folder is on a working disk and that you can write to it.',
    );
  }
  return null;
}

/** Rethrows a store failure as the error a person reads; anything else unchanged. */
export function asStoreFailure(error: unknown): unknown {
  const known = error instanceof AppFailure ? null : storeFailure(error);
  return known ? new AppFailure(known) : error;
}
