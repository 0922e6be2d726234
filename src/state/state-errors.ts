import { WapiBulkError } from '../protocol/errors.js';

/**
 * SQLite failures of the state file as the expected problems they are, each with its own code
 * and a fix (found in review: a read-only or damaged state file was "internal error, please
 * report it as a bug").
 */
export function stateError(file: string, error: unknown): WapiBulkError {
  if (error instanceof WapiBulkError) return error;
  const raw = (error as { code?: unknown }).code;
  const code = typeof raw === 'string' ? raw : '';
  const message = error instanceof Error ? error.message : String(error);
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EROFS') {
    return new WapiBulkError('STATE_READONLY', `cannot write the state file ${file}: ${message}`, {
      cause: error,
      hint: 'make the file and its folder writable, or give another --state file',
    });
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new WapiBulkError('STATE_CORRUPT', `the state file ${file} is damaged (${message})`, {
      cause: error,
      hint: 'restore it from a backup, or move it aside and start a new one (the id map and journals in it are then lost)',
    });
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new WapiBulkError('STATE_LOCKED', `the state file ${file} is busy: another process holds a write lock on it`, {
      cause: error,
      hint: 'wait for the other wapi-bulk run to finish, then try again',
    });
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new WapiBulkError('DISK_FULL', `no space left to write the state file ${file}`, { cause: error, hint: 'free disk space, then run again with --resume' });
  }
  return new WapiBulkError('STATE_INVALID', `cannot use the state file ${file}: ${message}`, {
    cause: error,
    hint: 'give a writable path with --state (a SQLite file wapi-bulk created, or a new one)',
  });
}
