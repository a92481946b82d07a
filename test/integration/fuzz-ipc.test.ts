import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { DATABASE_FILE } from '../../src-main/core/store/database.ts';
import { channels, contract, type Channel } from '../../src-main/shared/contract.ts';
import { errorCodes } from '../../src-main/shared/errors.ts';
import { startDnsServer, type DnsServer } from '../support/dns-server.ts';
import { startFaultServer, type FaultServer } from '../support/fault-server.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap } from '../support/wait-for.ts';

const CALLS = Number(process.env.FUZZ_CALLS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);

/** Values that break naive code: header breakers, huge and odd strings, odd numbers, prototype keys. */
const hostile = fc.oneof(
  fc.constantFrom(
    'a\r\nBcc: victim@evil.test',
    'x\0y',
    '\r\n.\r\nMAIL FROM:<evil@evil.test>',
    '../../etc/passwd',
    'C:\\Windows\\win.ini',
    '%00',
    '\u202e',
    '\ud800',
    '',
    ' ',
    '@',
    '<>',
    '"',
    "'; DROP TABLE outbox; --",
  ),
  fc.constantFrom('x'.repeat(100_001), 'é'.repeat(70_000), 'a@'.repeat(40_000)),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, -0, 2 ** 53, 1e308, 0.5),
  fc.constantFrom(
    null,
    true,
    [],
    {},
    [[[[[[]]]]]],
    { __proto__: { polluted: 1 } },
    JSON.parse('{"__proto__":{"polluted":1}}') as unknown,
  ),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.integer(),
);

/** Anything a compromised page could send over IPC (structured-clone types included). */
const anything = fc.anything({
  maxDepth: 3,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withNullPrototype: true,
  withSparseArray: true,
  withBoxedValues: true,
});

function dirState(dir: string): string {
  const out: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const full = path.join(folder, name);
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full);
      // The database's own files change size with reads (WAL index); what is written shows in data_version.
      else if (!name.startsWith(DATABASE_FILE)) out.push(`${path.relative(dir, full)}:${stat.size}`);
    }
  };
  walk(dir);
  return out.join('\n');
}

/**
 * 10,000 generated calls across every channel of the contract: random values, and valid
 * examples with one field replaced by something hostile or removed. Every call must be
 * answered (no throw, no INTERNAL), invalid input must get BAD_INPUT, and a refused call must
 * write nothing: no database commit (data_version seen from a second connection) and no file.
 */
describe('fuzzed IPC', () => {
  const data = tempDataDir('fuzz');
  let core: Core;
  let smtp: FaultServer;
  let dns: DnsServer;
  let watcher: Database.Database;
  const examples = {} as Record<Channel, Record<string, unknown>>;

  beforeAll(async () => {
    smtp = await startFaultServer();
    dns = await startDnsServer({});
    // No connection slots: queued mail stays queued, so nothing writes in the background and a
    // refused call's "nothing written" can be checked exactly.
    core = createTestCore({
      dataDir: data.dir,
      secrets: new MemorySecretStore(),
      mode: 'test',
      dnsServers: [dns.address],
      maxConnections: 0,
    });
    const account = unwrap(
      await core.dispatch('accounts.save', {
        name: 'Fuzz',
        email: 'fuzz@fuzz.test',
        host: '127.0.0.1',
        port: smtp.port,
        security: 'none',
        auth: 'none',
        username: '',
      }),
    );
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId: account.id,
        to: 'a@fuzz.test',
        subject: 'Seed',
        body: 'b',
        undoSeconds: 0,
      }),
    );
    const draft = unwrap(
      await core.dispatch('drafts.save', {
        content: { accountId: account.id, to: 'a@fuzz.test', subject: 'Draft', body: 'Draft text', html: null },
      }),
    );
    const message = { accountId: account.id, to: 'a@fuzz.test', cc: '', bcc: '', subject: 'Hi', body: 'Hello' };
    const server = {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      auth: 'none',
      username: '',
      timeouts: { connectMs: 1000, greetingMs: 1000, socketMs: 1000 },
    };
    Object.assign(examples, {
      'app.info': {},
      'app.wake': {},
      'app.reportError': { view: 'Outbox', message: 'fuzz', stack: '' },
      'accounts.list': {},
      'accounts.check': { ...server, name: 'Other', email: 'other@fuzz.test' },
      'compose.plainText': { html: '<p><strong>Hi</strong></p>' },
      'accounts.save': { ...server, name: 'Other', email: 'other@fuzz.test' },
      'accounts.delete': { id: 'no-such-account' },
      'accounts.duplicate': { id: account.id },
      'accounts.autoconfig': { email: 'someone@fuzz.test' },
      'accounts.test': server,
      // No client ID is configured here: refused before any listener opens.
      'accounts.signInStart': { provider: 'google' },
      'accounts.signInFinish': { signInId: 'no-such-sign-in' },
      'accounts.signInCancel': { signInId: 'no-such-sign-in' },
      'outbox.enqueue': { ...message, undoSeconds: 30 },
      'outbox.list': {},
      'outbox.get': { id: queued.id },
      'outbox.undo': { id: 'no-such-message' },
      'outbox.retryNow': { id: queued.id },
      'outbox.cancel': { id: 'no-such-message' },
      'outbox.resend': { id: queued.id },
      'outbox.markSent': { id: queued.id },
      'logs.search': { text: 'seed', limit: 10 },
      'logs.export': { outboxId: queued.id, format: 'txt' },
      'attempts.transcript': { attemptId: 'no-such-attempt' },
      'drafts.save': {
        id: draft.id,
        content: { accountId: account.id, to: 'a@fuzz.test', subject: 'Draft', body: 'Draft text', html: null },
      },
      'drafts.list': {},
      'drafts.get': { id: draft.id },
      'drafts.delete': { id: 'no-such-draft' },
      'attachments.remove': { id: 'no-such-attachment' },
      'attachments.preview': { id: 'no-such-attachment' },
      'compose.check': message,
      'compose.preview': message,
      'compose.dryRun': message,
      'compose.recipients': { prefix: 'a' },
      'settings.get': {},
      'settings.save': { retryHours: 48 },
    } satisfies Record<Channel, Record<string, unknown>>);
    watcher = new Database(path.join(data.dir, DATABASE_FILE), { readonly: true });
  });

  afterAll(async () => {
    watcher?.close();
    await core?.close();
    await smtp?.close();
    await dns?.close();
    data.remove();
  });

  it(`${CALLS.toLocaleString('en')} calls: all answered, invalid ones refused as BAD_INPUT, refused ones write nothing`, async () => {
    expect(Object.keys(examples).sort()).toEqual([...channels].sort());
    const mutated = fc
      .tuple(
        fc.constantFrom(...channels),
        fc.oneof(fc.constantFrom('drop', 'replace', 'add'), fc.constant('replace')),
        fc.nat(),
        hostile,
      )
      .map(([channel, how, pick, value]) => {
        const input: Record<string, unknown> = { ...examples[channel] };
        const keys = Object.keys(input);
        const key =
          keys.length > 0 && how !== 'add'
            ? (keys[pick % keys.length] as string)
            : (['__proto__', 'constructor', 'extra', 'password'][pick % 4] as string);
        // accounts.test connects: its host stays on this machine (the fuzzing must not reach out).
        if (channel === 'accounts.test' && key === 'host' && typeof value === 'string' && !/[\r\n\0]/.test(value))
          return { channel, input };
        // A nested object (a draft's content, the timeouts) has its own field changed half the time.
        const inner = input[key];
        const target: Record<string, unknown> =
          inner && typeof inner === 'object' && !Array.isArray(inner) && pick % 2 === 0
            ? { ...(inner as Record<string, unknown>) }
            : input;
        const targetKeys = Object.keys(target);
        const targetKey =
          target === input ? key : (targetKeys[Math.floor(pick / 2) % Math.max(targetKeys.length, 1)] ?? 'extra');
        if (target !== input) input[key] = target;
        if (how === 'drop') delete target[targetKey];
        else Object.defineProperty(target, targetKey, { value, enumerable: true, writable: true, configurable: true });
        return { channel, input: input as unknown };
      });
    const random = fc.tuple(fc.constantFrom(...channels), anything).map(([channel, input]) => ({ channel, input }));
    const valid = fc.constantFrom(...channels).map((channel) => ({ channel, input: examples[channel] as unknown }));
    const call = fc.oneof(
      { arbitrary: mutated, weight: 6 },
      { arbitrary: random, weight: 3 },
      { arbitrary: valid, weight: 1 },
    );

    const tally = { calls: 0, ok: 0, badInput: 0, otherErrors: 0, refusedWithoutWrites: 0 };
    const codes = new Set<string>(errorCodes);
    await fc.assert(
      fc.asyncProperty(call, async ({ channel, input }) => {
        const version = watcher.pragma('data_version', { simple: true });
        const files = dirState(data.dir);
        const result = await core.dispatch(channel, input as never);
        tally.calls++;
        const shouldBeValid = contract[channel].input.safeParse(input).success;
        if (result.ok) {
          tally.ok++;
          expect(shouldBeValid, `${channel} accepted invalid input`).toBe(true);
          return;
        }
        expect(codes.has(result.error.code), `${channel}: unknown code ${result.error.code}`).toBe(true);
        expect(result.error.code, `${channel}: ${result.error.message}`).not.toBe('INTERNAL');
        expect(result.error.message.length).toBeGreaterThan(0);
        if (result.error.code === 'BAD_INPUT') tally.badInput++;
        else tally.otherErrors++;
        if (!shouldBeValid)
          expect(result.error.code, `${channel}: invalid input answered ${result.error.code}`).toBe('BAD_INPUT');
        // A refused call leaves no trace in the store or the data folder.
        expect(
          watcher.pragma('data_version', { simple: true }),
          `${channel} wrote to the database although refused`,
        ).toBe(version);
        expect(dirState(data.dir), `${channel} wrote a file although refused`).toBe(files);
        tally.refusedWithoutWrites++;
      }),
      { numRuns: CALLS, seed: SEED, endOnFailure: true },
    );
    // Nothing reached Object.prototype through a "__proto__" key.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The app still works afterwards.
    expect(unwrap(await core.dispatch('app.info', {})).mode).toBe('test');
    console.log(
      `fuzzed IPC (seed ${SEED}): ${tally.calls} calls, ${tally.ok} answered with a result, ${tally.badInput} BAD_INPUT, ${tally.otherErrors} other refusals (NOT_FOUND, CONFLICT, UNSUPPORTED…), ${tally.refusedWithoutWrites} refusals checked for writes: 0 crashes`,
    );
    expect(tally.calls).toBe(CALLS);
  }, 300_000);
});
