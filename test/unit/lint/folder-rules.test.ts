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
