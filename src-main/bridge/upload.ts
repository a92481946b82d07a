import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { attachmentTooLarge, MAX_ATTACHMENT_BYTES } from '../core/compose/attachment-store.ts';
import { AppFailure } from '../shared/errors.ts';

export type SavedUpload = { path: string; remove(): Promise<void> };

/**
 * A file the page uploads (its picker or a drop) saved as it arrives to a temporary file only
 * this user can read, so it can be handed to the core by path like any other file. It stops at
 * the attachment limit, before the disk fills.
 */
export async function saveUpload(req: IncomingMessage, name: string): Promise<SavedUpload> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_ATTACHMENT_BYTES) throw new AppFailure(attachmentTooLarge(name));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'posthorn-upload-'));
  const file = path.join(dir, 'upload');
  const remove = () => rm(dir, { recursive: true, force: true });
  let seen = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > MAX_ATTACHMENT_BYTES ? new AppFailure(attachmentTooLarge(name)) : null, chunk);
    },
  });
  try {
    await pipeline(req, limit, createWriteStream(file, { mode: 0o600 }));
  } catch (error) {
    await remove();
    throw error;
  }
  return { path: file, remove };
}
