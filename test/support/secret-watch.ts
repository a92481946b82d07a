import { createHmac } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import type { Core } from '../../src-main/core/create-core.ts';
import { CRAM_MD5_CHALLENGE } from './fault-server.ts';
import { filesUnder } from './files-under.ts';

/**
 * Every password, token and username a test uses, in every form that could leak: as typed,
 * base64 (how AUTH LOGIN sends a username, and inside any longer base64 such as an OAUTHBEARER
 * blob), the AUTH PLAIN, XOAUTH2 and OAUTHBEARER blobs, and the CRAM-MD5
 * answer to the fault server's fixed challenge; each also searched for in UTF-16. Data folders
 * are searched for them when a test removes its folder, and everything a watched core hands
 * to the renderer (results and events) as it goes. Any hit fails the test that caused it.
 */
const needles = new Set<string>();

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/**
 * The secret's base64 inside any longer base64 text, at each of the three byte alignments (the
 * whole quanta only): finds a token inside an OAUTHBEARER blob whatever host and port precede it.
 * Only for secrets long enough that a fragment cannot turn up by chance.
 */
function base64Fragments(value: string): string[] {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes < 16) return [];
  return [0, 1, 2].map((lead) => {
    const encoded = b64(`${'x'.repeat(lead)}${value}`);
    const end = Math.floor((lead + bytes) / 3) * 4;
    return encoded.slice(lead === 0 ? 0 : 4, end);
  });
}

/** Registers a secret (and, with a username, the login forms built from both); returns the secret. */
export function secret(value: string, username?: string): string {
  needles.add(value);
  needles.add(b64(value));
  for (const fragment of base64Fragments(value)) needles.add(fragment);
  if (username) {
    needles.add(b64(username));
    needles.add(b64(`\0${username}\0${value}`));
    needles.add(b64(`${username}\0${username}\0${value}`));
    needles.add(b64(`user=${username}\x01auth=Bearer ${value}\x01\x01`));
    needles.add(b64(`n,a=${username},\x01auth=Bearer ${value}\x01\x01`));
    const digest = createHmac('md5', value).update(CRAM_MD5_CHALLENGE).digest('hex');
    needles.add(digest);
    needles.add(b64(`${username} ${digest}`));
  }
  return value;
}

export function registeredSecrets(): string[] {
  return [...needles];
}

/** Counts kept for docs/RELIABILITY.md: appended, one JSON line per check, when the suite asks for it. */
function record(entry: { folders?: number; files?: number; payloads?: number; hits: number }): void {
  const log = process.env.POSTHORN_SECRET_SCAN_LOG;
  if (log) appendFileSync(log, `${JSON.stringify({ ...entry, needles: needles.size })}\n`);
}

function hitsIn(bytes: Buffer): string[] {
  const hits: string[] = [];
  for (const needle of needles) {
    if (bytes.includes(Buffer.from(needle, 'utf8')) || bytes.includes(Buffer.from(needle, 'utf16le')))
      hits.push(needle);
  }
  return hits;
}

/** Every file under the folder (database, WAL, spool, attachments, exports, logs) searched for every secret. */
export function assertNoSecretsIn(dir: string): void {
  if (needles.size === 0) return;
  const files = filesUnder(dir);
  const hits: string[] = [];
  for (const { file, bytes } of files) for (const needle of hitsIn(bytes)) hits.push(`${file}: ${needle.slice(0, 4)}…`);
  record({ folders: 1, files: files.length, hits: hits.length });
  if (hits.length > 0) throw new Error(`A secret was written to the data folder:\n${hits.join('\n')}`);
}

/** One payload on its way to the renderer (a result or an event), searched for every secret. */
export function assertNoSecretsInPayload(label: string, payload: unknown): void {
  if (needles.size === 0) return;
  const hits = hitsIn(Buffer.from(JSON.stringify(payload) ?? '', 'utf8'));
  record({ payloads: 1, hits: hits.length });
  if (hits.length > 0)
    throw new Error(
      `A secret was handed to the renderer in ${label}: ${hits.map((h) => `${h.slice(0, 4)}…`).join(', ')}`,
    );
}

/** Hits seen in events: an event listener must not throw inside the core, so they are raised on the next call. */
const eventHits: string[] = [];

function raiseEventHits(): void {
  if (eventHits.length > 0) throw new Error(eventHits.splice(0).join('\n'));
}

/**
 * The core as the renderer sees it: every dispatch result and every event is searched for
 * every registered secret before the test gets it (IPC and the browser bridge pass exactly
 * these on).
 */
export function watchCore(core: Core): Core {
  core.subscribe((event) => {
    try {
      assertNoSecretsInPayload(`the event ${event.name}`, event);
    } catch (error) {
      eventHits.push((error as Error).message);
    }
  });
  const dispatch = core.dispatch as (channel: string, input: unknown) => Promise<unknown>;
  return {
    ...core,
    dispatch: (async (channel: string, input: unknown) => {
      const result = await dispatch(channel, input);
      assertNoSecretsInPayload(`the answer to ${channel}`, result);
      raiseEventHits();
      return result;
    }) as Core['dispatch'],
    close: async () => {
      await core.close();
      raiseEventHits();
    },
  };
}
