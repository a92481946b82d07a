import { appendFileSync, chmodSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { capText } from '../../shared/text-rules.ts';
import { SecretScrubber } from '../smtp/secret-scrubber.ts';
import { privateFolder } from '../store/private-files.ts';

export const LOG_FOLDER = 'logs';
export const LOG_FILE = 'posthorn.log';
/** The log and its two older copies stay under about 3 MB together. */
const MAX_LOG_BYTES = 1024 * 1024;
const KEPT_FILES = 3;
/** One entry (a message and its stack) is at most this long. */
const MAX_ENTRY_CHARS = 8000;

export type LogLevel = 'error' | 'warn' | 'info';

/** Where a data folder's log lives (the menu's "Show Log Folder", README). */
export function logFolder(dataDir: string): string {
  return path.join(dataDir, LOG_FOLDER);
}

/**
 * Posthorn's own log: unexpected errors and store trouble, for a person reporting a bug (a
 * packaged app has no console to read). A few files of at most 1 MB each in the data folder,
 * the oldest dropped; readable by this user only; every entry scrubbed of the secrets this
 * process has handled, however encoded. Writing never throws: a log that cannot be written is
 * no reason for anything else to fail.
 */
export class AppLog {
  readonly dir: string;
  private readonly file: string;
  private secrets: () => readonly string[] = () => [];
  private readonly maxBytes: number;

  constructor(dataDir: string, options: { maxBytes?: number } = {}) {
    this.dir = logFolder(dataDir);
    this.file = path.join(this.dir, LOG_FILE);
    this.maxBytes = options.maxBytes ?? MAX_LOG_BYTES;
  }

  /** The secrets to scrub from every entry (the core's KnownSecrets, once it runs). */
  scrubWith(secrets: () => readonly string[]): void {
    this.secrets = secrets;
  }

  error(where: string, error: unknown): void {
    this.write('error', where, describe(error));
  }

  write(level: LogLevel, where: string, text: string): void {
    try {
      // Scrubbed whole, then cut: a secret cut in two by the cap would keep its first part.
      const shown = capText(new SecretScrubber(this.secrets()).text(text), MAX_ENTRY_CHARS);
      const scrubbed = `${new Date().toISOString()} ${level.toUpperCase()} [${where}] ${shown}\n`;
      privateFolder(this.dir);
      this.rotateFor(Buffer.byteLength(scrubbed));
      appendFileSync(this.file, scrubbed, { mode: 0o600 });
      chmodSync(this.file, 0o600);
    } catch {
      // Nowhere left to report it; the console still has it (see reportUnexpected).
    }
  }

  /** posthorn.log → .1 → .2, the oldest dropped, when the next entry would pass the size limit. */
  private rotateFor(bytes: number): void {
    let size: number;
    try {
      size = statSync(this.file).size;
    } catch {
      return; // no log yet
    }
    if (size + bytes <= this.maxBytes) return;
    rmSync(`${this.file}.${KEPT_FILES - 1}`, { force: true });
    for (let n = KEPT_FILES - 2; n >= 1; n--) {
      try {
        renameSync(`${this.file}.${n}`, `${this.file}.${n + 1}`);
      } catch {
        // that copy did not exist yet
      }
    }
    renameSync(this.file, `${this.file}.1`);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
