import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export const SPOOL_DIR = 'spool';

/**
 * Frozen messages on disk, one `.eml` per outbox row. Written to a temporary file, flushed,
 * then renamed, so a crash leaves either the whole message or nothing under its final name.
 */
export class Spool {
  readonly dir: string;

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
    return name;
  }

  read(name: string): Buffer {
    return readFileSync(path.join(this.dir, path.basename(name)));
  }

  remove(name: string): void {
    rmSync(path.join(this.dir, path.basename(name)), { force: true });
  }

  /** The rename is durable only once the directory entry is flushed (not possible on Windows). */
  private syncDir(): void {
    if (process.platform === 'win32') return;
    const fd = openSync(this.dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
