import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { addFile, addFiles } from '../support/add-files.ts';
import { startFaultServer, type FaultServer } from '../support/fault-server.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitForState } from '../support/wait-for.ts';

/** The header block of a received message, unfolded, one entry per header. */
function headersOf(data: string): string[] {
  const head = data.split('\r\n\r\n')[0] ?? '';
  return head.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
}

/**
 * CR, LF and NUL wherever a person or a page can put text (names, subjects, addresses, file
 * names, identities) must never become a header of their own or an SMTP command; file names
 * lose any folder part. Checked at the SMTP server: what it was told and what it received.
 */
describe('header injection and hostile content', () => {
  const data = tempDataDir('inject');
  let server: FaultServer;
  let core: Core;
  let accountId = '';

  beforeAll(async () => {
    server = await startFaultServer();
    core = createTestCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test' });
    accountId = unwrap(
      await core.dispatch('accounts.save', {
        name: 'Inject',
        email: 'me@inject.test',
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
  });

  const send = async (input: Record<string, unknown>) =>
    core.dispatch('outbox.enqueue', {
      accountId,
      to: 'ok@inject.test',
      subject: 'Plain',
      body: 'Body',
      undoSeconds: 0,
      ...input,
    } as never);
  const delivered = async (input: Record<string, unknown>) => {
    const queued = unwrap(await send(input));
    const item = await waitForState(core, queued.id, ['sent', 'failed', 'deferred']);
    expect(item.state).toBe('sent');
    const received = server.accepted.at(-1);
    if (!received) throw new Error('nothing received');
    return received;
  };

  it('CR, LF or NUL in a subject is refused before anything is queued', async () => {
    for (const subject of ['Hi\r\nBcc: victim@evil.test', 'Hi\nX-Evil: 1', 'Hi\rX-Evil: 1', 'Hi\0there']) {
      const result = await send({ subject });
      expect(result.ok, JSON.stringify(subject)).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('BAD_INPUT');
    }
    expect(unwrap(await core.dispatch('outbox.list', {}))).toHaveLength(0);
  });

  it('an address or display name carrying CR/LF/NUL cannot add a header or a command', async () => {
    // A line break in a recipient list separates addresses (a pasted column of addresses is a
    // list), so what follows one can only ever be another recipient, parsed as an address and
    // shown to the person; never a command or a header.
    const attempts = [
      'ok@inject.test\r\nRCPT TO:<other@inject.test>',
      '"Name\r\nBcc: evil@evil.test" <ok@inject.test>',
      'Name\r\n\tX-Evil: 1 <ok@inject.test>',
      'ok@inject.test\0evil@evil.test',
      'ok@inject.test>\r\nDATA',
    ];
    for (const to of attempts) {
      const from = server.commands.length;
      const result = await send({ to });
      if (!result.ok) {
        expect(result.error.code, JSON.stringify(to)).toBe('BAD_INPUT');
        continue;
      }
      const item = await waitForState(core, result.value.id, ['sent', 'failed', 'deferred']);
      const commands = server.commands.slice(from).map((c) => c.line);
      const rcpts = commands.filter((line) => /^RCPT/i.test(line));
      // One RCPT per recipient the message lists, each naming one plain mailbox.
      expect(rcpts.length, JSON.stringify(to)).toBe(item.to.length);
      for (const line of rcpts)
        expect(line, JSON.stringify(to)).toMatch(/^RCPT TO:<[^<>\s\0]+@[^<>\s\0]+>( [A-Z=;,.0-9]+)*$/);
      expect(
        commands.filter((line) => /^(DATA|MAIL)/i.test(line)),
        JSON.stringify(to),
      ).toHaveLength(2);
      const headers = headersOf(server.accepted.at(-1)?.data ?? '');
      expect(
        headers.filter((h) => /^(bcc|x-evil):/i.test(h)),
        JSON.stringify(to),
      ).toEqual([]);
      expect(
        headers.filter((h) => /^to:/i.test(h)),
        JSON.stringify(to),
      ).toHaveLength(1);
      expect(item.to.join(' '), JSON.stringify(to)).not.toMatch(/[\r\n\0]/);
    }
  });

  it('identity names, Reply-To and signatures with line breaks are refused when saved', async () => {
    const base = {
      name: 'Inject',
      email: 'me@inject.test',
      host: '127.0.0.1',
      port: server.port,
      security: 'none',
      auth: 'none',
      username: '',
    };
    for (const identity of [
      { fromName: 'Me\r\nBcc: evil@evil.test', fromAddress: 'me@inject.test', replyTo: '', signature: '' },
      { fromName: 'Me', fromAddress: 'me@inject.test\r\nX: y', replyTo: '', signature: '' },
      { fromName: 'Me', fromAddress: 'me@inject.test', replyTo: 'r@inject.test\r\nBcc: evil@evil.test', signature: '' },
      { fromName: 'Me\0', fromAddress: 'me@inject.test', replyTo: '', signature: '' },
    ]) {
      const result = await core.dispatch('accounts.save', { ...base, identities: [identity] } as never);
      expect(result.ok, JSON.stringify(identity)).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('BAD_INPUT');
    }
    for (const name of ['Work\r\nX: y', 'Work\0']) {
      const result = await core.dispatch('accounts.save', { ...base, name } as never);
      expect(result.ok, JSON.stringify(name)).toBe(false);
    }
  });

  it('a body with lone dots and SMTP commands arrives as text: one message, no extra command', async () => {
    const body =
      'Line one\r\n.\r\nMAIL FROM:<evil@evil.test>\r\nRCPT TO:<evil@evil.test>\r\nDATA\r\n.\r\n..two dots\r\nQUIT';
    const from = server.commands.length;
    const received = await delivered({ body, subject: 'Dots' });
    const commands = server.commands.slice(from);
    expect(commands.filter((c) => /^MAIL/i.test(c.line))).toHaveLength(1);
    expect(received.rcptTo).toEqual(['ok@inject.test']);
    expect(received.data).toContain('MAIL FROM:<evil@evil.test>');
    expect(received.data).toContain('..two dots');
    expect(commands.filter((c) => /evil/.test(c.line))).toEqual([]);
  });

  it('non-ASCII and header-like text in names and subjects is encoded, never a header', async () => {
    const received = await delivered({
      to: '"Zoë: X-Evil: 1" <ok@inject.test>',
      subject: 'Grüße: X-Evil: 1 Content-Type: text/html',
    });
    const headers = headersOf(received.data);
    expect(headers.filter((h) => /^x-evil:/i.test(h))).toEqual([]);
    expect(headers.filter((h) => /^content-type:/i.test(h))).toHaveLength(1);
    expect(headers.find((h) => /^subject:/i.test(h))).toMatch(/=\?UTF-8\?/i);
  });

  it('attachment names lose folders, line breaks and NULs; the file goes out under its plain name', async () => {
    const names: [string, string][] = [
      ['../../etc/passwd', 'passwd'],
      ['C:\\Users\\me\\..\\secret.txt', 'secret.txt'],
      // "/" is a folder separator wherever it appears, so only the last part is left.
      ['report.pdf\r\nContent-Type: text/html', 'html'],
      ['nul\0byte.txt', 'nulbyte.txt'],
    ];
    const attachments = await addFiles(
      core,
      names.map(([name]) => ({ name, type: 'text/plain\r\nX-Evil: 1', bytes: Buffer.from('contents') })),
    );
    for (const [i, [, expected]] of names.entries()) {
      expect(attachments[i]?.name).not.toMatch(/[\\/\r\n\0]/);
      expect(attachments[i]?.name).toBe(expected);
      expect(attachments[i]?.type).toBe('application/octet-stream');
    }
    const received = await delivered({
      subject: 'Files',
      attachments: attachments.map((a) => ({ id: a.id, inline: false })),
    });
    expect(received.data).not.toMatch(/^X-Evil:/im);
    expect(received.data).not.toMatch(/filename="?[^"\r\n]*[\\/]/i);
    expect(received.data).not.toContain('/etc/passwd');
    for (const name of ['passwd', 'secret.txt']) expect(received.data).toContain(name);
  });

  it('the page refers to attachments by id only: a name it sends is refused, the stored name is used', async () => {
    const attachment = await addFile(core, { name: 'honest.txt', type: 'text/plain', bytes: Buffer.from('x') });
    const renamed = await send({
      subject: 'Renamed',
      attachments: [{ id: attachment.id, name: '../../evil\r\nX-Evil: 1.exe', inline: false }],
    });
    expect(renamed.ok).toBe(false);
    if (!renamed.ok) expect(renamed.error.code).toBe('BAD_INPUT');
    const received = await delivered({ subject: 'By id', attachments: [{ id: attachment.id, inline: false }] });
    expect(received.data).toContain('honest.txt');
    expect(received.data).not.toContain('evil');
  });
});
