import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '../../src-main/core/create-core.ts';
import type { Result } from '../../src-main/shared/result.ts';
import type { Attachment } from '../../src-main/shared/schemas/compose.ts';

export type FileToAdd = { name: string; type?: string; bytes: Buffer };

/**
 * Adds files as a shell does (the desktop dialog or a drop, browser mode's upload): each is
 * written to a file of its own and handed to the core by path (attachments.addPaths), with
 * the name and type the person's side knew. The temporary copies are removed afterwards.
 */
export async function addFilesResult(core: Pick<Core, 'dispatch'>, files: FileToAdd[]): Promise<Result<Attachment[]>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'posthorn-add-'));
  try {
    const entries = files.map((file, index) => {
      const filePath = path.join(dir, String(index));
      writeFileSync(filePath, file.bytes);
      return { path: filePath, name: file.name, ...(file.type !== undefined ? { type: file.type } : {}) };
    });
    return await core.dispatch('attachments.addPaths', { files: entries });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function addFiles(core: Pick<Core, 'dispatch'>, files: FileToAdd[]): Promise<Attachment[]> {
  const result = await addFilesResult(core, files);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

export async function addFile(core: Pick<Core, 'dispatch'>, file: FileToAdd): Promise<Attachment> {
  const [added] = await addFiles(core, [file]);
  if (!added) throw new Error('Nothing was added.');
  return added;
}
