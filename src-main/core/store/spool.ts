import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export const SPOOL_DIR = 'spool';

/** Recently spooled messages kept in memory, so sending does not read back what was just written. */
const CACHE_BYTES = 32 * 1024 * 1024;

/**
 * Frozen messages on disk, one `.eml` per outbox row. Written to a temporary file, flushed,
 * then renamed, so a crash leaves either the whole message or nothing under its final name.
 */
export class Spool {
  readonly dir: string;
  private dirFd: number | null = null;
  private readonly recent = new Map<string, Buffer>();
  private recentBytes = 0;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, SPOOL_DIR);
    mkdirSync(this.dir, { recursive: true });
  }

  fileName(id: string): string {
    return `${id}.eml`;
  }

  write(id: string, bytes: Buffer): string {
    const name = this.fileName(id);
    const finalPath = path.join(this.dir, name);
    const tmpPath = `${finalPath}.tmp`;
    const fd = openSync(tmpPath, 'w', 0o600);
    try {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmpPath, finalPath);
    this.syncDir();
    this.remember(name, bytes);
    return name;
  }

  read(name: string): Buffer {
    const key = path.basename(name);
    return this.recent.get(key) ?? readFileSync(path.join(this.dir, key));
  }

  remove(name: string): void {
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

  private remember(name: string, bytes: Buffer): void {
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
