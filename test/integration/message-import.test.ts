import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { startFaultServer, type FaultServer } from '../support/fault-server.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitForState } from '../support/wait-for.ts';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** A saved message (.eml) opened with Posthorn becomes a draft, and sends like one. */
describe('opening a saved message', () => {
  const data = tempDataDir('eml');
  const files = mkdtempSync(path.join(os.tmpdir(), 'posthorn-eml-files-'));
  let core: Core;
  let server: FaultServer;
  let work = '';

  beforeAll(async () => {
    server = await startFaultServer();
    core = createTestCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test' });
    unwrap(
      await core.dispatch('accounts.save', {
        name: 'Home',
        email: 'me@home.test',
        host: '127.0.0.1',
        port: server.port,
        security: 'none',
        auth: 'none',
        username: '',
      }),
    );
    work = unwrap(
      await core.dispatch('accounts.save', {
        name: 'Work',
        email: 'me@work.test',
        host: '127.0.0.1',
        port: server.port,
        security: 'none',
        auth: 'none',
        username: '',
      }),
    ).id;
  });

  afterAll(async () => {
    await core?.close();
    await server?.close();
    data.remove();
    rmSync(files, { recursive: true, force: true });
  });

  const eml = async (name: string, mail: ConstructorParameters<typeof MailComposer>[0]) => {
    const bytes = await new MailComposer(mail).compile().build();
    const file = path.join(files, name);
    writeFileSync(file, bytes);
    return file;
  };

  it("recipients, subject, text, HTML, attachments and inline images come over; the writer's account is chosen", async () => {
    const file = await eml('report.eml', {
      from: 'Me <me@work.test>',
      to: '"Doe, Jane" <jane@client.test>, bob@client.test',
      cc: 'carol@client.test',
      subject: 'Grüße — the report',
      text: 'Hello Jane,\nthe report is attached.',
      html: '<p>Hello <b>Jane</b>,</p><p><img src="cid:logo@posthorn"></p>',
      attachments: [
        { filename: 'report.csv', content: 'a,b\n1,2\n', contentType: 'text/csv' },
        { filename: 'logo.png', content: PNG, contentType: 'image/png', cid: 'logo@posthorn' },
      ],
    });
    const draft = unwrap(await core.dispatch('drafts.importFile', { path: file }));
    expect(draft.content.accountId).toBe(work);
    expect(draft.content.to).toBe('"Doe, Jane" <jane@client.test>, bob@client.test');
    expect(draft.content.cc).toBe('carol@client.test');
    expect(draft.content.subject).toBe('Grüße — the report');
    expect(draft.content.body).toContain('the report is attached.');
    const csv = draft.content.attachments.find((a) => a.name === 'report.csv');
    const logo = draft.content.attachments.find((a) => a.name === 'logo.png');
    expect(csv).toMatchObject({ name: 'report.csv', type: 'text/csv', size: 8, inline: false });
    expect(logo).toMatchObject({ name: 'logo.png', type: 'image/png', inline: true });
    expect(draft.content.html).toContain(`cid:${logo?.id}`);
    // It is in the Drafts list, and sends like any message.
    expect(unwrap(await core.dispatch('drafts.list', {})).map((d) => d.id)).toContain(draft.id);
    const { to, cc, subject, body, html } = draft.content;
    const attachments = draft.content.attachments.map(({ id, inline }) => ({ id, inline }));
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId: work,
        to,
        cc,
        subject,
        body,
        html,
        attachments,
        undoSeconds: 0,
        draftId: draft.id,
      }),
    );
    expect((await waitForState(core, queued.id, ['sent', 'failed', 'deferred'])).state).toBe('sent');
    const received = server.accepted.at(-1);
    expect(received?.rcptTo.sort()).toEqual(['bob@client.test', 'carol@client.test', 'jane@client.test']);
    expect(received?.data).toContain('filename=report.csv');
    expect(received?.data).toContain(Buffer.from('a,b\n1,2\n').toString('base64'));
  });

  it('a file that is not a message, or is gone, gets a clear error and no draft', async () => {
    const before = unwrap(await core.dispatch('drafts.list', {})).length;
    const png = path.join(files, 'picture.eml');
    writeFileSync(png, PNG);
    expect(await core.dispatch('drafts.importFile', { path: png })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    });
    expect(await core.dispatch('drafts.importFile', { path: path.join(files, 'missing.eml') })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(unwrap(await core.dispatch('drafts.list', {}))).toHaveLength(before);
  });
});
