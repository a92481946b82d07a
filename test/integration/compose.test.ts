import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { type Core } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { addFile } from '../support/add-files.ts';
import { selfSignedCertificate } from '../support/certs.ts';
import { startDnsServer } from '../support/dns-server.ts';
import { secret } from '../support/secret-watch.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitForState } from '../support/wait-for.ts';

const USER = 'me@posthorn.test';
const PASSWORD = secret('compose-secret', USER);

/** The composer's core: MIME as the server receives it, drafts, attachments, checks and the dry run. */
describe('composer', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(options: { extra?: Partial<SMTPServerOptions>; test?: boolean } = {}) {
    const certificate = selfSignedCertificate();
    const sink: SmtpSink = await startSmtpSink({
      certificate,
      users: { [USER]: PASSWORD },
      ...(options.extra ? { extra: options.extra } : {}),
    });
    cleanups.push(() => sink.close());
    // Recipient domains: posthorn.test and example.test receive mail; anything else does not exist.
    const dns = await startDnsServer(
      {},
      {
        mx: {
          'posthorn.test': [{ exchange: 'mx.posthorn.test', preference: 10 }],
          'example.test': [{ exchange: 'mx.example.test', preference: 10 }],
        },
        a: { 'a-only.test': ['127.0.0.1'] },
      },
    );
    cleanups.push(() => dns.close());
    const data = tempDataDir('compose');
    cleanups.push(() => data.remove());
    let core: Core = createTestCore({
      dataDir: data.dir,
      secrets: new MemorySecretStore(),
      mode: 'test',
      trustedCertificates: [certificate.cert],
      dnsServers: [dns.address],
    });
    cleanups.push(() => core.close());
    const settings = {
      host: '127.0.0.1',
      port: sink.port,
      security: 'starttls' as const,
      auth: 'PLAIN' as const,
      username: USER,
      password: PASSWORD,
    };
    const account = unwrap(
      await core.dispatch('accounts.save', {
        name: 'Me',
        email: USER,
        ...settings,
        identities: [
          { fromName: 'Me', fromAddress: USER },
          { fromName: 'Alias', fromAddress: 'alias@posthorn.test' },
        ],
      }),
    );
    if (options.test !== false) unwrap(await core.dispatch('accounts.test', { id: account.id, ...settings }));
    const reopen = async () => {
      await core.close();
      core = createTestCore({
        dataDir: data.dir,
        secrets: new MemorySecretStore(),
        mode: 'test',
        trustedCertificates: [certificate.cert],
        dnsServers: [dns.address],
      });
      return core;
    };
    return {
      sink,
      get core() {
        return core;
      },
      account,
      data,
      reopen,
    };
  }

  const upload = (core: Core, name: string, type: string, bytes: Buffer) => addFile(core, { name, type, bytes });

  it('sends To, Cc and Bcc with Bcc only in the envelope; rich text sanitised with a plain-text alternative; attachments, an inline image, priority', async () => {
    const t = await setup();
    const pdf = randomBytes(50_000);
    const png = randomBytes(2_000);
    const file = await upload(t.core, 'report ä.pdf', 'application/pdf', pdf);
    const image = await upload(t.core, 'logo.png', 'image/png', png);
    const queued = unwrap(
      await t.core.dispatch('outbox.enqueue', {
        accountId: t.account.id,
        to: '"Doe, Jane" <jane@example.test>',
        cc: 'carl@example.test',
        bcc: 'secret@example.test',
        subject: 'Quarterly report',
        body: 'ignored when html is given',
        html: `<h2>Results</h2><p>Hello <strong>Jane</strong>, see <a href="https://example.test/r">the report</a> and <a href="javascript:alert(1)">this</a>.</p><img src="https://tracker.test/pixel.gif"><img src="cid:${image.id}" alt="logo"><script>alert(1)</script><ul><li>one</li></ul>`,
        priority: 'high',
        attachments: [
          { id: file.id, inline: false },
          { id: image.id, inline: true },
        ],
        undoSeconds: 0,
      }),
    );
    await waitForState(t.core, queued.id, ['sent']);
    const [received] = await t.sink.waitForMessages(1);
    expect(received?.rcptTo.sort()).toEqual(['carl@example.test', 'jane@example.test', 'secret@example.test']);
    const raw = received?.raw.toString('utf8') ?? '';
    expect(raw).not.toMatch(/^Bcc:/im);
    expect(raw).not.toContain('secret@example.test');
    const mail = await simpleParser(received?.raw ?? Buffer.alloc(0));
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : []).toEqual([
      { name: 'Doe, Jane', address: 'jane@example.test' },
    ]);
    expect(mail.cc && !Array.isArray(mail.cc) ? mail.cc.text : '').toBe('carl@example.test');
    expect(raw).toMatch(/^X-Priority: 1 \(Highest\)$/m);
    expect(raw).toMatch(/^Importance: High$/m);
    expect(mail.messageId).toBe(queued.messageId);
    const html = String(mail.html);
    expect(html).toContain('<strong>Jane</strong>');
    expect(html).toContain('href="https://example.test/r"');
    expect(html).not.toMatch(/javascript:|<script|tracker\.test/);
    expect(mail.text).toContain('Hello Jane, see the report [https://example.test/r]');
    expect(mail.text).not.toContain('ignored when html is given');
    const byName = new Map(mail.attachments.map((a) => [a.filename, a]));
    expect(byName.get('report ä.pdf')?.content.equals(pdf)).toBe(true);
    expect(byName.get('report ä.pdf')?.contentType).toBe('application/pdf');
    expect(byName.get('logo.png')?.contentId).toBe(`<${image.id}>`);
    expect(byName.get('logo.png')?.contentDisposition).toBe('inline');
    expect(byName.get('logo.png')?.content.equals(png)).toBe(true);
  });

  it('switching to plain text: the core makes the text as it makes the text/plain part, links kept as "text [url]"', async () => {
    const t = await setup({ test: false });
    const html =
      '<p><strong>Plan</strong> see <a href="https://example.org/plan">the plan</a></p><p><img src="cid:img1" alt="map.png"></p>';
    expect(unwrap(await t.core.dispatch('compose.plainText', { html }))).toEqual({
      text: 'Plan see the plan [https://example.org/plan]',
    });
  });

  it('a 30 MB attachment is streamed to the spool and arrives byte-identical', async () => {
    const t = await setup({ test: false });
    const big = randomBytes(30 * 1024 * 1024);
    const file = await upload(t.core, 'archive.bin', 'application/octet-stream', big);
    expect(file.size).toBe(big.length);
    const queued = unwrap(
      await t.core.dispatch('outbox.enqueue', {
        accountId: t.account.id,
        to: 'jane@example.test',
        subject: 'Big',
        body: 'The archive.',
        attachments: [{ id: file.id, inline: false }],
        undoSeconds: 0,
      }),
    );
    const spoolFile = readdirSync(path.join(t.data.dir, 'spool')).find((f) => f.endsWith('.eml'));
    expect(statSync(path.join(t.data.dir, 'spool', spoolFile ?? '')).size).toBeGreaterThan(big.length * 1.3); // base64 inside
    expect(queued.size).toBeGreaterThan(big.length * 1.3);
    await waitForState(t.core, queued.id, ['sent'], 60_000);
    const [received] = await t.sink.waitForMessages(1, 60_000);
    const mail = await simpleParser(received?.raw ?? Buffer.alloc(0));
    const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(digest(mail.attachments[0]?.content ?? Buffer.alloc(0))).toBe(digest(big));
  }, 90_000);

  it('asks for delivery status notifications when the server offers DSN', async () => {
    const t = await setup({ extra: { hideDSN: false } });
    const queued = unwrap(
      await t.core.dispatch('outbox.enqueue', {
        accountId: t.account.id,
        to: 'jane@example.test',
        subject: 'DSN',
        body: 'b',
        dsn: { success: true, failure: true },
        undoSeconds: 0,
      }),
    );
    await waitForState(t.core, queued.id, ['sent']);
    const [received] = await t.sink.waitForMessages(1);
    expect(received?.dsn.notify).toEqual([['SUCCESS', 'FAILURE', 'DELAY']]);
    expect(received?.dsn.ret).toBe('HDRS');
  });

  it('drafts: saved, listed, updated, kept across a restart, and removed in the same commit that queues them', async () => {
    const t = await setup({ test: false });
    const content = { accountId: t.account.id, to: 'jane@example.test', subject: 'Draft one', body: 'first words' };
    const saved = unwrap(await t.core.dispatch('drafts.save', { content }));
    unwrap(
      await t.core.dispatch('drafts.save', { id: saved.id, content: { ...content, body: 'first words, and more' } }),
    );
    const core = await t.reopen();
    expect(unwrap(await core.dispatch('drafts.list', {}))).toEqual([
      expect.objectContaining({ id: saved.id, subject: 'Draft one', to: 'jane@example.test' }),
    ]);
    expect(unwrap(await core.dispatch('drafts.get', { id: saved.id })).content).toMatchObject({
      body: 'first words, and more',
      cc: '',
      attachments: [],
    });
    unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId: t.account.id,
        to: 'jane@example.test',
        subject: 'Draft one',
        body: 'first words, and more',
        draftId: saved.id,
        undoSeconds: 30,
      }),
    );
    expect(unwrap(await core.dispatch('drafts.list', {}))).toEqual([]);
    // A bad message leaves its draft alone.
    const kept = unwrap(await core.dispatch('drafts.save', { content }));
    const refused = await core.dispatch('outbox.enqueue', {
      accountId: t.account.id,
      to: 'not an address',
      subject: 's',
      body: 'b',
      draftId: kept.id,
    });
    expect(refused.ok).toBe(false);
    expect(unwrap(await core.dispatch('drafts.get', { id: kept.id })).content.subject).toBe('Draft one');
    expect(unwrap(await core.dispatch('drafts.delete', { id: kept.id }))).toEqual({ deleted: true });
  });

  it("pre-send checks: size over the server's SIZE, empty subject, a mentioned attachment, a From that is not the login, a domain with no mail server", async () => {
    const t = await setup({ extra: { size: 20_000 } });
    const file = await upload(t.core, 'photo.jpg', 'image/jpeg', randomBytes(30_000));
    const codes = async (input: Record<string, unknown>) =>
      unwrap(
        await t.core.dispatch('compose.check', {
          accountId: t.account.id,
          to: 'jane@example.test',
          subject: 'Hi',
          body: 'Hello',
          ...input,
        }),
      ).map((w) => w.code);
    expect(await codes({})).toEqual([]);
    expect(await codes({ attachments: [{ id: file.id, inline: false }] })).toEqual(['TOO_LARGE']);
    expect(await codes({ subject: '  ' })).toEqual(['EMPTY_SUBJECT']);
    expect(await codes({ body: 'Please see the attached contract.' })).toEqual(['MISSING_ATTACHMENT']);
    expect(
      await codes({ body: 'Please see the attached contract.', attachments: [{ id: file.id, inline: false }] }),
    ).toEqual(['TOO_LARGE']);
    const alias = t.account.identities[1]?.id ?? '';
    expect(await codes({ identityId: alias })).toEqual(['FROM_DIFFERS']);
    const typo = unwrap(
      await t.core.dispatch('compose.check', {
        accountId: t.account.id,
        to: 'jane@example.test, bob@gmial.com, ann@a-only.test',
        subject: 'Hi',
        body: 'Hello',
      }),
    );
    expect(typo).toEqual([
      expect.objectContaining({
        code: 'NO_MAIL_DOMAIN',
        message: 'No mail server exists for "gmial.com" — did you mean gmail.com?',
        // The composer offers it as one click.
        fix: { action: 'replace-domain', label: 'Use gmail.com', from: 'gmial.com', to: 'gmail.com' },
      }),
    ]);
  });

  it('pre-send checks: non-ASCII addresses without SMTPUTF8, DSN not offered, and no EHLO yet', async () => {
    const t = await setup({ extra: { hideSMTPUTF8: true, hideDSN: true } });
    const warnings = unwrap(
      await t.core.dispatch('compose.check', {
        accountId: t.account.id,
        to: '用户@example.test',
        subject: 'Hi',
        body: 'Hello',
        dsn: { success: true, failure: false },
      }),
    );
    expect(warnings.map((w) => w.code)).toEqual(['NEEDS_SMTPUTF8', 'NO_DSN']);
    expect(warnings[0]?.message).toContain('does not offer SMTPUTF8');
    const fresh = await setup({ test: false });
    expect(
      unwrap(
        await fresh.core.dispatch('compose.check', {
          accountId: fresh.account.id,
          to: 'jane@example.test',
          subject: 'Hi',
          body: 'Hello',
        }),
      ).map((w) => w.code),
    ).toEqual(['NO_EHLO_YET']);
  });

  it('the dry run stops after RCPT TO: it shows which recipients the server takes, and nothing is delivered', async () => {
    const t = await setup({
      extra: {
        onRcptTo(address, _session, callback) {
          if (address.address.startsWith('nobody'))
            return callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
          callback();
        },
      },
    });
    const result = unwrap(
      await t.core.dispatch('compose.dryRun', {
        accountId: t.account.id,
        to: 'jane@example.test, nobody@example.test',
        subject: 'Hi',
        body: 'Hello',
      }),
    );
    expect(result.accepted).toEqual(['jane@example.test']);
    expect(result.refused).toEqual([{ address: 'nobody@example.test', reply: '550 5.1.1 No such user here' }]);
    const transcript = result.lines.map((l) => `${l.dir} ${l.text}`).join('\n');
    expect(transcript).toMatch(/^C MAIL FROM:<me@posthorn\.test>/m);
    expect(transcript).toMatch(/^C RCPT TO:<nobody@example\.test>/m);
    expect(transcript).toMatch(/^C RSET/m);
    expect(transcript).not.toMatch(/^C DATA/m);
    expect(transcript).not.toContain(PASSWORD);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(t.sink.messages).toHaveLength(0);
  });

  it('files nothing refers to any more are removed a day later at start-up; those of drafts and waiting mail stay', async () => {
    let clock = Date.now();
    const certificate = selfSignedCertificate();
    const data = tempDataDir('compose-sweep');
    cleanups.push(() => data.remove());
    const open = () =>
      createTestCore({
        dataDir: data.dir,
        secrets: new MemorySecretStore(),
        mode: 'test',
        trustedCertificates: [certificate.cert],
        now: () => clock,
      });
    let core = open();
    const account = unwrap(
      await core.dispatch('accounts.save', {
        name: 'Me',
        email: USER,
        host: '127.0.0.1',
        port: 9,
        security: 'none',
        auth: 'none',
        username: '',
      }),
    );
    const [kept, queued, orphan] = await Promise.all(
      ['draft.txt', 'queued.txt', 'orphan.txt'].map((name) => upload(core, name, 'text/plain', Buffer.from(name))),
    );
    unwrap(
      await core.dispatch('drafts.save', {
        content: { accountId: account.id, to: '', subject: 's', body: '', attachments: [kept] },
      }),
    );
    unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId: account.id,
        to: 'jane@example.test',
        subject: 'later',
        body: 'b',
        attachments: [{ id: queued?.id ?? '', inline: false }],
        sendAt: clock + 7 * 24 * 3600_000,
      }),
    );
    await core.close();
    clock += 25 * 60 * 60 * 1000;
    core = open();
    cleanups.push(() => core.close());
    const left = readdirSync(path.join(data.dir, 'attachments')).sort();
    expect(left).toEqual([kept?.id, queued?.id].sort());
    expect(left).not.toContain(orphan?.id);
  });

  it('preview shows the source that will be sent; autocomplete offers addresses written to before', async () => {
    const t = await setup({ test: false });
    const preview = unwrap(
      await t.core.dispatch('compose.preview', {
        accountId: t.account.id,
        to: 'jane@example.test',
        bcc: 'hidden@example.test',
        subject: 'Grüße',
        body: 'Hallo',
      }),
    );
    expect(preview.source).toMatch(/^Subject: =\?UTF-8\?Q\?Gr=C3=BC=C3=9Fe\?=/m);
    expect(preview.source).toMatch(/^To: jane@example\.test/m);
    expect(preview.source).not.toContain('hidden@example.test');
    expect(preview.size).toBe(preview.shownBytes);
    unwrap(
      await t.core.dispatch('outbox.enqueue', {
        accountId: t.account.id,
        to: 'Jane <jane@example.test>, joe@other.test',
        subject: 'a',
        body: 'b',
        undoSeconds: 30,
      }),
    );
    expect(unwrap(await t.core.dispatch('compose.recipients', { prefix: 'j' }))).toEqual([
      'jane@example.test',
      'joe@other.test',
    ]);
    expect(unwrap(await t.core.dispatch('compose.recipients', { prefix: 'other' }))).toEqual(['joe@other.test']);
    expect(unwrap(await t.core.dispatch('compose.recipients', { prefix: '%' }))).toEqual([]);
  });

  it('an added image can be read back for the editor (a draft reopened after a restart); other files cannot', async () => {
    const t = await setup({ test: false });
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const image = await upload(t.core, 'photo.png', 'image/png', png);
    const text = await upload(t.core, 'notes.txt', 'text/plain', Buffer.from('plain'));
    expect(unwrap(await t.core.dispatch('attachments.preview', { id: image.id }))).toEqual({
      type: 'image/png',
      base64: png.toString('base64'),
    });
    const notImage = await t.core.dispatch('attachments.preview', { id: text.id });
    expect(notImage.ok || notImage.error.code).toBe('UNSUPPORTED');
    const gone = await t.core.dispatch('attachments.preview', { id: 'no-such-attachment' });
    expect(gone.ok || gone.error.code).toBe('NOT_FOUND');
  });
});
