import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The data folder holds bodies, subjects, recipients and transcripts. On Linux and macOS it is
 * 0700 and every file in it 0600 whatever the umask; on Windows the folder under the profile
 * inherits the user-only ACL of AppData (docs/SECURITY.md), and modes mean nothing there.
 */
const POSIX = process.platform !== 'win32';
export const PRIVATE_FOLDER_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates the folder (and missing parents) as private, and makes an existing one private. */
export function privateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  if (POSIX) chmodSync(dir, PRIVATE_FOLDER_MODE);
}

/**
 * Creates an empty file as private before a library opens it (SQLite gives its WAL and shared
 * memory files the database file's mode), or makes an existing one private.
 */
export function privateFile(file: string): void {
  if (existsSync(file)) {
    if (POSIX) chmodSync(file, PRIVATE_FILE_MODE);
    return;
  }
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  if (POSIX) chmodSync(file, PRIVATE_FILE_MODE);
}

/**
 * The data folder, made private when Posthorn starts. A folder that is not 0700 was left by an
 * older version (0755 folders, 0644 files): everything under it is made private once. A folder
 * already 0700 was made by this version, which creates every file private, so nothing is walked
 * (a spool of 100,000 files would cost a chmod each on every start).
 */
export function privateDataFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  if (!POSIX || (statSync(dir).mode & 0o777) === PRIVATE_FOLDER_MODE) return;
  makeTreePrivate(dir);
}

function makeTreePrivate(dir: string): void {
  chmodSync(dir, PRIVATE_FOLDER_MODE);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) makeTreePrivate(full);
    else if (entry.isFile()) chmodSync(full, PRIVATE_FILE_MODE);
  }
}
