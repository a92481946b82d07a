import { createWriteStream, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Writes a stream to `tmpPath` (owner-only) and flushes it to the disk; returns the bytes
 * written. On failure the partial file is removed and the error passed on. The caller renames
 * the file into place (and flushes the folder) once it should exist under its final name.
 */
export async function writeStreamDurably(source: Readable, tmpPath: string): Promise<number> {
  let size = 0;
  source.on('data', (chunk: Buffer) => {
    size += chunk.length;
  });
  try {
    await pipeline(source, createWriteStream(tmpPath, { mode: 0o600 }));
    const handle = await open(tmpPath, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    return size;
  } catch (error) {
    rmSync(tmpPath, { force: true });
    throw error;
  }
}
