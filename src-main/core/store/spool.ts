import {
  closeSync,
  createReadStream,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
} from 'node:fs';
import { open, rename } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql, type Db } from './database.ts';
import { writeStreamDurably } from './durable-file.ts';
import { privateFolder } from './private-files.ts';

export const SPOOL_DIR = 'spool';

/** Recently spooled messages kept in memory, so sending does not read back what was just written. */
const CACHE_BYTES = 32 * 1024 * 1024;

/** Enough of a message to hold its headers, for the transcript's summary line. */
const HEAD_BYTES = 64 * 1024;

/**
 * Messages up to this size (every message without attachments, in practice) are kept in the
 * database, committed with their outbox row: one flush makes both durable, where a file costs
 * its own flush and its folder's on top of the commit (docs/STORAGE.md). Larger ones are files,
 * streamed, so that SQLite never holds a big message in memory or its write-ahead log.
 */
export const INLINE_MAX_BYTES = 256 * 1024;

export type SpoolEntry = { id: string; bytes: Buffer } | { id: string; staged: string };
export type SpoolSource = { size: number; head: Buffer; stream: () => Readable };

function* inChunks(buffer: Buffer): Generator<Buffer> {
  for (let offset = 0; offset < buffer.length; offset += 64 * 1024) yield buffer.subarray(offset, offset + 64 * 1024);
}

/**
 * Frozen messages, one per outbox row, each under the name `<id>.eml`: small ones in the
 * database's `spool_inline` table, larger ones as that file in the spool folder.
 */
export class Spool {
  readonly dir: string;
  private readonly db: Db;
  private dirFd: number | null = null;
  private readonly recent = new Map<string, Buffer>();
  private recentBytes = 0;

  constructor(dataDir: string, db: Db) {
    this.dir = path.join(dataDir, SPOOL_DIR);
    this.db = db;
    privateFolder(this.dir);
  }

  fileName(id: string): string {
    return `${id}.eml`;
  }

  /** Whether this message is kept in the database (see INLINE_MAX_BYTES) rather than as a file. */
  static keptInline(entry: SpoolEntry): entry is { id: string; bytes: Buffer } {
    return 'bytes' in entry && entry.bytes.length <= INLINE_MAX_BYTES;
  }

  /**
   * Stores a small message in the database. Call it inside the transaction that writes the
   * message's row, so that the one commit makes both durable, or neither.
   */
  keepInline(id: string, bytes: Buffer): string {
    const name = this.fileName(id);
    sql(this.db, 'INSERT INTO spool_inline (name, bytes) VALUES (?, ?)').run(name, bytes);
    return name;
  }

  /** After the commit: sending will not need to read back what was just stored. */
  keepInMemory(name: string, bytes: Buffer): void {
    this.remember(path.basename(name), bytes);
  }

  /** Whether the message is stored, in the database or as a file. */
  has(name: string): boolean {
    const key = path.basename(name);
    return this.inline(key) !== undefined || existsSync(path.join(this.dir, key));
  }

  /**
   * Writes messages, each to a temporary file that is flushed and then renamed, so a crash
   * leaves either the whole message or nothing under its final name. The flushes of a batch
   * run side by side and the folder is flushed once for all of them. Each entry gets its own
   * outcome: one that fails does not fail the others.
   */
  async writeMany(entries: readonly SpoolEntry[]): Promise<PromiseSettledResult<string>[]> {
    const results = await Promise.allSettled(
      entries.map(async (entry) => {
        const name = this.fileName(entry.id);
        const finalPath = path.join(this.dir, name);
        if ('staged' in entry) {
          await rename(entry.staged, finalPath);
          return name;
        }
        const tmpPath = `${finalPath}.tmp`;
        const handle = await open(tmpPath, 'w', 0o600);
        try {
          await handle.writeFile(entry.bytes);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(tmpPath, finalPath);
        return name;
      }),
    );
    if (results.some((result) => result.status === 'fulfilled')) this.syncDir();
    results.forEach((result, i) => {
      const entry = entries[i];
      if (result.status === 'fulfilled' && entry && 'bytes' in entry) this.remember(result.value, entry.bytes);
    });
    return results;
  }

  /**
   * A large message written from a stream (attachments read from disk as it goes) to its
   * temporary file and flushed; `writeMany` then gives it its final name. Never all in memory.
   */
  async stage(id: string, source: Readable): Promise<{ staged: string; size: number }> {
    const staged = path.join(this.dir, `${this.fileName(id)}.tmp`);
    return { staged, size: await writeStreamDurably(source, staged) };
  }

  /** A spooled message for sending: its size, its first bytes (the headers) and a stream of it all. */
  source(name: string): SpoolSource {
    const key = path.basename(name);
    const cached = this.recent.get(key) ?? this.inline(key);
    if (cached)
      return {
        size: cached.length,
        head: cached.subarray(0, HEAD_BYTES),
        stream: () => Readable.from(inChunks(cached)),
      };
    const file = path.join(this.dir, key);
    const size = statSync(file).size;
    const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
    const fd = openSync(file, 'r');
    try {
      readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
    return { size, head, stream: () => createReadStream(file, { highWaterMark: 64 * 1024 }) };
  }

  read(name: string): Buffer {
    const key = path.basename(name);
    return this.recent.get(key) ?? this.inline(key) ?? readFileSync(path.join(this.dir, key));
  }

  /**
   * Removes a small message's bytes from the database. Call it inside the transaction that
   * removes its row (Undo), so a crash cannot leave one without the other.
   */
  dropInline(name: string): void {
    const key = path.basename(name);
    this.forget(key);
    sql(this.db, 'DELETE FROM spool_inline WHERE name = ?').run(key);
  }

  /** Removes a large message's file (no database write: it must work when the store refuses). */
  removeFile(name: string): void {
    const key = path.basename(name);
    this.forget(key);
    rmSync(path.join(this.dir, key), { force: true });
  }

  /** Sent messages need no copy in memory any more (the file stays, for the record). */
  release(name: string): void {
    this.forget(path.basename(name));
  }

  close(): void {
    if (this.dirFd !== null) closeSync(this.dirFd);
    this.dirFd = null;
    this.recent.clear();
    this.recentBytes = 0;
  }

  private inline(key: string): Buffer | undefined {
    const row = sql(this.db, 'SELECT bytes FROM spool_inline WHERE name = ?').get(key) as { bytes: Buffer } | undefined;
    return row?.bytes;
  }

  private remember(name: string, bytes: Buffer): void {
    this.forget(name);
    if (bytes.length > CACHE_BYTES / 4) return;
    this.recent.set(name, bytes);
    this.recentBytes += bytes.length;
    for (const [oldest, buffer] of this.recent) {
      if (this.recentBytes <= CACHE_BYTES) break;
      this.recent.delete(oldest);
      this.recentBytes -= buffer.length;
    }
  }

  private forget(name: string): void {
    const buffer = this.recent.get(name);
    if (!buffer) return;
    this.recent.delete(name);
    this.recentBytes -= buffer.length;
  }

  /** The rename is durable only once the directory entry is flushed (not possible on Windows). */
  private syncDir(): void {
    if (process.platform === 'win32') return;
    // One descriptor for the folder, kept open: fsync on it flushes whatever entries changed.
    this.dirFd ??= openSync(this.dir, 'r');
    fsyncSync(this.dirFd);
  }
}
