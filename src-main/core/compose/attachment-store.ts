import { randomUUID } from 'node:crypto';
import { createReadStream, readFileSync, rmSync, statSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { detectMimeType } from 'nodemailer/lib/mime-funcs';
import { AppFailure, appError, fail, type AppError } from '../../shared/errors.ts';
import type { Attachment } from '../../shared/schemas/compose.ts';
import { formatBytes } from '../../shared/wording.ts';
import { sql, type Db } from '../store/database.ts';
import { writeStreamDurably } from '../store/durable-file.ts';
import { privateFolder } from '../store/private-files.ts';

export const ATTACHMENTS_DIR = 'attachments';
/** A single file larger than this is refused outright: no SMTP server takes it. */
export const MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024;
/** Inline images are shown from their bytes up to this size. */
const MAX_PREVIEW_BYTES = 5 * 1024 * 1024;

type Row = { id: string; name: string; type: string; size: number };

/**
 * Controls (C0, C1), invisible format characters (bidi overrides and isolates, zero-width
 * characters, soft hyphens, the byte-order mark), other default-ignorable characters (Hangul
 * fillers, variation selectors, the combining grapheme joiner) and line separators: a
 * right-to-left override makes "invoice\u202Efdp.exe" show as "invoiceexe.pdf" (issue 19).
 */
const HIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;
/** Blanks of any width (braille blank too), collapsed to one space: a run of them hides the real ending. */
const BLANKS = /[\p{Zs}\u2800]+/gu;

/** A file name as a person would recognise it, safe as a MIME parameter: no folders, nothing invisible. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(HIDDEN_CHARACTERS, '').replace(BLANKS, ' ').trim();
  if (cleaned === '' || cleaned === '.' || cleaned === '..') return 'attachment';
  return shortened(cleaned, 255);
}

/** At most `max` characters (never half of one), cut in the middle so the real ending stays in sight. */
function shortened(name: string, max: number): string {
  const characters = [...name];
  if (characters.length <= max) return name;
  const ending = /\.[^.]{1,16}$/.exec(name)?.[0] ?? '';
  const keep = max - [...ending].length - 1;
  return `${characters.slice(0, keep).join('')}…${ending}`;
}

/**
 * Files added to messages, copied into the data folder (streamed, never held in memory) and
 * known by an id. The renderer only ever holds ids; the core alone opens the files.
 */
export class AttachmentStore {
  readonly dir: string;
  private readonly db: Db;
  private readonly now: () => number;

  constructor(db: Db, dataDir: string, now: () => number) {
    this.db = db;
    this.now = now;
    this.dir = path.join(dataDir, ATTACHMENTS_DIR);
    privateFolder(this.dir);
  }

  /** Stores what the stream delivers, flushed before it is known. */
  async addStream(name: string, type: string, source: Readable, declaredSize?: number): Promise<Attachment> {
    if (declaredSize !== undefined && declaredSize > MAX_ATTACHMENT_BYTES) tooLarge(name);
    const id = randomUUID();
    const finalPath = path.join(this.dir, id);
    const tmpPath = `${finalPath}.tmp`;
    let seen = 0;
    source.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > MAX_ATTACHMENT_BYTES) source.destroy(new Error('too large'));
    });
    let size: number;
    try {
      size = await writeStreamDurably(source, tmpPath);
      await rename(tmpPath, finalPath);
    } catch (error) {
      rmSync(tmpPath, { force: true });
      if (seen > MAX_ATTACHMENT_BYTES) tooLarge(name);
      fail(
        'STORE',
        `Posthorn could not keep "${cleanFileName(name)}": ${(error as Error).message}`,
        'Check that the disk has free space, then add the file again.',
      );
    }
    const row: Row = { id, name: cleanFileName(name), type: cleanType(type), size };
    sql(this.db, 'INSERT INTO attachments (id, name, type, size, created_at) VALUES (?, ?, ?, ?, ?)').run(
      row.id,
      row.name,
      row.type,
      row.size,
      this.now(),
    );
    return { ...row, inline: false };
  }

  /**
   * Copies a file a shell named by its path (the OS dialog, a drop, an upload it saved). The name
   * the person knows it by and its type come from the shell when it has them, else from the path.
   */
  async addPath(
    filePath: string,
    known: { name?: string | undefined; type?: string | undefined } = {},
  ): Promise<Attachment> {
    const name = known.name ?? path.basename(filePath);
    let size: number;
    try {
      const stat = statSync(filePath);
      if (!stat.isFile())
        fail(
          'BAD_INPUT',
          `"${cleanFileName(name)}" is a folder, not a file.`,
          'Choose files; to send a folder, zip it first.',
        );
      size = stat.size;
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT')
        fail('NOT_FOUND', `"${cleanFileName(name)}" no longer exists.`, 'Choose the file again.');
      throw error;
    }
    const type = known.type || detectMimeType(name);
    return this.addStream(name, type, createReadStream(filePath), size);
  }

  find(ids: readonly string[]): Map<string, Row> {
    const rows =
      ids.length === 0
        ? []
        : (this.db
            .prepare(`SELECT id, name, type, size FROM attachments WHERE id IN (${ids.map(() => '?').join(', ')})`)
            .all(...ids) as Row[]);
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** Where the file is, for the core's own reading (MIME building); never sent to the renderer. */
  filePath(id: string): string {
    return path.join(this.dir, path.basename(id));
  }

  /**
   * Files no draft and no unfinished message refers to any more (sent or discarded), added
   * over a day ago: removed at start-up, so the folder does not grow with every attachment.
   * The frozen copy inside the spooled message stays; "Edit as new" of an old sent message
   * then asks for the file again.
   */
  sweep(now: number): number {
    const stale = sql(
      this.db,
      `SELECT a.id FROM attachments a WHERE a.created_at < ?
        AND NOT EXISTS (SELECT 1 FROM drafts d WHERE instr(d.content, a.id) > 0)
        AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.state NOT IN ('sent') AND o.draft IS NOT NULL AND instr(o.draft, a.id) > 0)`,
    ).all(now - 24 * 60 * 60 * 1000) as { id: string }[];
    for (const { id } of stale) this.remove(id);
    return stale.length;
  }

  /**
   * An added image's bytes, for the composer's inline picture after a restart (in the session
   * that added it, the page shows the person's own file). Images only, at most 5 MB.
   */
  preview(id: string): { type: string; base64: string } {
    const row = this.find([id]).get(id);
    if (!row) fail('NOT_FOUND', 'That attachment is no longer there.', 'Add the file again.');
    if (!row.type.startsWith('image/'))
      fail('UNSUPPORTED', `"${row.name}" is not an image, so it has no preview.`, 'Only images are shown in the text.');
    if (row.size > MAX_PREVIEW_BYTES)
      fail(
        'TOO_LARGE',
        `"${row.name}" is too large to show in the editor (${formatBytes(row.size)}).`,
        'It is still attached and sent; a smaller picture shows in the text.',
      );
    return { type: row.type, base64: readFileSync(this.filePath(id)).toString('base64') };
  }

  remove(id: string): boolean {
    // Only a file this store made (its row existed) is deleted: an id is never a path.
    const removed = sql(this.db, 'DELETE FROM attachments WHERE id = ?').run(id).changes > 0;
    if (removed) rmSync(this.filePath(id), { force: true });
    return removed;
  }
}

/** What a person reads when a file is over the limit (also said by browser mode's upload, which stops at it). */
export function attachmentTooLarge(name: string): AppError {
  return appError(
    'TOO_LARGE',
    `"${cleanFileName(name)}" is larger than ${formatBytes(MAX_ATTACHMENT_BYTES)}, more than any mail server accepts.`,
    'Share it through a file-sharing service and send the link instead.',
  );
}

function tooLarge(name: string): never {
  throw new AppFailure(attachmentTooLarge(name));
}

/** A MIME type as "type/subtype", or the generic one. */
function cleanType(type: string): string {
  return /^[\w.+-]+\/[\w.+-]+$/.test(type) ? type.toLowerCase() : 'application/octet-stream';
}
