import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The architecture's folder rules, checked against the project's real ESLint config. */
describe('folder import rules', () => {
  const eslint = new ESLint({ cwd: process.cwd() });

  async function ruleIds(filePath: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
  }

  it.each([
    ['src-main/core/outbox/bad.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['src-main/core/outbox/bad.ts', "import { useState } from 'react';\nexport const x = useState;\n"],
    ['src-main/shared/bad.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['src-main/shared/bad.ts', "import { createCore } from '../core/create-core.ts';\nexport const x = createCore;\n"],
    [
      'src-renderer/features/bad.ts',
      "import { createCore } from '../../src-main/core/create-core.ts';\nexport const x = createCore;\n",
    ],
    ['src-renderer/features/bad.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n"],
    ['src-renderer/features/bad.ts', "import path from 'node:path';\nexport const x = path;\n"],
    [
      'src-renderer/features/bad.ts',
      "import { accountSchema } from '../../src-main/shared/schemas/accounts.ts';\nexport const x = accountSchema;\n",
    ],
  ])('%s: %s fails lint', async (file, code) => {
    expect((await ruleIds(file, code)).some((id) => id.endsWith('no-restricted-imports'))).toBe(true);
  });

  it.each([
    ['src-main/electron/ok.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['src-main/core/ok.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    [
      'src-renderer/features/ok.ts',
      "import type { Account } from '../../src-main/shared/schemas/accounts.ts';\nexport type X = Account;\n",
    ],
    [
      'src-renderer/features/ok.ts',
      "import { channelNames } from '../../src-main/shared/channel-names.ts';\nexport const x = channelNames;\n",
    ],
  ])('%s: allowed import passes', async (file, code) => {
    expect((await ruleIds(file, code)).some((id) => id.endsWith('no-restricted-imports'))).toBe(false);
  });
});

/**
 * The installers hold only production dependencies (`npm ci --omit=dev`): shipped code that
 * imports a devDependency starts on a developer's machine and crashes in every installer.
 */
describe('shipped code imports only production dependencies', () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const extraneous = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? [])
      .filter((m) => m.ruleId === 'import-x/no-extraneous-dependencies')
      .map((m) => m.message);
  };

  it.each([
    [
      'src-main/core/compose/bad.ts',
      "import { SMTPServer } from 'smtp-server';\nexport const x = SMTPServer;\n",
      /not devDependencies/,
    ],
    ['src-main/bridge/bad.ts', "import fc from 'fast-check';\nexport const x = fc;\n", /not devDependencies/],
    ['src-main/electron/bad.ts', "import { load } from 'js-yaml';\nexport const x = load;\n", /not devDependencies/],
    [
      'src-renderer/features/bad.ts',
      "import { describe } from 'vitest';\nexport const x = describe;\n",
      /not devDependencies/,
    ],
    // Installed only because another package needs it: it may vanish from the installer in any update.
    [
      'src-main/core/bad.ts',
      "import { Parser } from 'htmlparser2';\nexport const x = Parser;\n",
      /should be listed in the project's dependencies/,
    ],
    ['src-main/core/bad.ts', "const m = require('smtp-server');\nexport const x = m;\n", /not devDependencies/],
  ])('%s: %s fails lint', async (file, code, message) => {
    const messages = await extraneous(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(message);
  });

  it.each([
    ['src-main/core/compose/ok.ts', "import { simpleParser } from 'mailparser';\nexport const x = simpleParser;\n"],
    [
      'src-main/core/ok.ts',
      "import type { SMTPServerOptions } from 'smtp-server';\nexport type X = SMTPServerOptions;\n",
    ],
    ['src-main/electron/ok.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    [
      'src-renderer/features/ok.ts',
      "import { useVirtualizer } from '@tanstack/react-virtual';\nexport const x = useVirtualizer;\n",
    ],
    ['test/integration/ok.test.ts', "import { SMTPServer } from 'smtp-server';\nexport const x = SMTPServer;\n"],
    ['bench/ok.ts', "import fc from 'fast-check';\nexport const x = fc;\n"],
  ])('%s: allowed import passes', async (file, code) => {
    expect(await extraneous(file, code)).toEqual([]);
  });

  it('electron is allowed only where the folder rules allow it at all', async () => {
    expect(
      await extraneous('src-main/core/bad.ts', "import { app } from 'electron';\nexport const x = app;\n"),
    ).toHaveLength(1);
  });
});

/** The holes the first folder rules had, each closed and proved here. */
describe('lint rules without holes', () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const fired = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
  };

  it.each([
    // Node built-ins by any name Node has (from node:module's list, not a hand-kept one).
    ['src-renderer/features/bad.ts', "import { readFile } from 'fs/promises';\nexport const x = readFile;\n"],
    ['src-renderer/features/bad.ts', "import dc from 'diagnostics_channel';\nexport const x = dc;\n"],
    ['src-main/shared/bad.ts', "import { Worker } from 'worker_threads';\nexport const x = Worker;\n"],
    ['src-main/shared/bad.ts', "import { setTimeout } from 'timers/promises';\nexport const x = setTimeout;\n"],
    // Node-only packages stay out of the page and of shared/.
    ['src-renderer/features/bad.ts', "import nodemailer from 'nodemailer';\nexport const x = nodemailer;\n"],
    ['src-renderer/features/bad.ts', "import C from 'nodemailer/lib/mail-composer';\nexport const x = C;\n"],
    ['src-main/shared/bad.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n"],
    ['src-main/shared/bad.ts', "import C from 'nodemailer/lib/smtp-connection';\nexport const x = C;\n"],
  ])('%s: %s is refused', async (file, code) => {
    expect((await fired(file, code)).some((id) => id.endsWith('no-restricted-imports'))).toBe(true);
  });

  it('shared/ may use nodemailer’s address parser (pure code, no I/O)', async () => {
    const code = "import parse from 'nodemailer/lib/addressparser';\nexport const x = parse;\n";
    expect(await fired('src-main/shared/ok.ts', code)).toEqual([]);
  });

  it.each([
    ['src-renderer/features/bad.ts', 'export const x = process.env.HOME;\n'],
    ['src-renderer/features/bad.ts', "export const x = Buffer.from('a');\n"],
    ['src-main/shared/bad.ts', "export const x = Buffer.from('a');\n"],
    ['src-main/core/bad.ts', 'export const x = document.title;\n'],
    ['src-main/core/bad.ts', 'export const x = window.location.href;\n'],
    ['src-main/core/bad.ts', "export const x = localStorage.getItem('a');\n"],
  ])('%s: %s uses a global that is not there', async (file, code) => {
    expect(await fired(file, code)).toContain('no-restricted-globals');
  });

  it.each([
    ['src-renderer/features/bad.ts', 'export const x = globalThis.process.env.HOME;\n', 'no-restricted-properties'],
    ['src-renderer/features/bad.ts', "export const x = window.Buffer.from('a');\n", 'no-restricted-properties'],
    ['src-renderer/features/bad.ts', "export const load = () => import('fs');\n", 'no-restricted-syntax'],
    [
      'src-renderer/features/bad.ts',
      "export const load = () => import('node:child_process');\n",
      'no-restricted-syntax',
    ],
    ['src-main/shared/bad.ts', "export const load = () => import('fs/promises');\n", 'no-restricted-syntax'],
    ['src-main/core/bad.ts', 'export const x = globalThis.document.title;\n', 'no-restricted-properties'],
    ['src-main/core/bad.ts', 'export const x = globalThis.window;\n', 'no-restricted-properties'],
  ])('%s: %s reaches around the rules, and fails lint', async (file, code, rule) => {
    expect(await fired(file, code)).toContain(rule);
  });

  it("nodemailer's private members only in smtp/nodemailer-internals.ts", async () => {
    const code = 'export const send = (conn: { _sendCommand(l: string): void }) => conn._sendCommand("NOOP");\n';
    expect(await fired('src-main/core/smtp/other.ts', code)).toContain('no-restricted-properties');
    expect(await fired('src-main/electron/other.ts', code)).toContain('no-restricted-properties');
    expect(await fired('src-main/bridge/other.ts', code.replace('_sendCommand', '_socket'))).toContain(
      'no-restricted-properties',
    );
    expect(await fired('src-main/core/smtp/nodemailer-internals.ts', code)).not.toContain('no-restricted-properties');
  });

  it('an effect cannot hand React a value it would call as the cleanup', async () => {
    const effect = (body: string) =>
      `import { useEffect } from 'react';\nexport function X({ el }: { el: HTMLElement }) {\n  useEffect(${body}, [el]);\n  return null;\n}\n`;
    expect(await fired('src-renderer/features/bad.tsx', effect('() => el.scrollIntoView()'))).toContain(
      'no-restricted-syntax',
    );
    expect(await fired('src-renderer/features/ok.tsx', effect('() => {\n    el.scrollIntoView();\n  }'))).toEqual([]);
    const viaReact = `import React from 'react';\nexport function X({ el }: { el: HTMLElement }) {\n  React.useEffect(() => el.scrollIntoView(), [el]);\n  return null;\n}\n`;
    expect(await fired('src-renderer/features/bad.tsx', viaReact)).toContain('no-restricted-syntax');
    const named = `import { useEffect } from 'react';\nconst scroll = () => document.body.scrollIntoView();\nexport function X() {\n  useEffect(scroll, []);\n  return null;\n}\n`;
    expect(await fired('src-renderer/features/bad.tsx', named)).toContain('no-restricted-syntax');
    // Handing back an unsubscribe is how a cleanup is written.
    expect(
      await fired(
        'src-renderer/features/ok.tsx',
        effect('() => {\n    const off = el.addEventListener.bind(el);\n    return () => off;\n  }'),
      ),
    ).toEqual([]);
  });

  it('no file over 300 lines in src-main or src-renderer, no function over 80 lines outside React components', async () => {
    const long = `export function f(): number {\n${'  void 0;\n'.repeat(85)}  return 1;\n}\n`;
    expect(await fired('src-main/core/bad.ts', long)).toContain('max-lines-per-function');
    expect(await fired('src-main/core/bad.ts', `${'export const a = 1;\n'.repeat(301)}`)).toContain('max-lines');
    expect(await fired('src-renderer/features/bad.tsx', `${'export const a = 1;\n'.repeat(301)}`)).toContain(
      'max-lines',
    );
  });
});
