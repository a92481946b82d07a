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
    ['src-renderer/features/bad.ts', "import { createCore } from '../../src-main/core/create-core.ts';\nexport const x = createCore;\n"],
    ['src-renderer/features/bad.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n"],
    ['src-renderer/features/bad.ts', "import path from 'node:path';\nexport const x = path;\n"],
    ['src-renderer/features/bad.ts', "import { accountSchema } from '../../src-main/shared/models.ts';\nexport const x = accountSchema;\n"],
  ])('%s: %s fails lint', async (file, code) => {
    expect((await ruleIds(file, code)).some((id) => id.endsWith('no-restricted-imports'))).toBe(true);
  });

  it.each([
    ['src-main/electron/ok.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['src-main/core/ok.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['src-renderer/features/ok.ts', "import type { Account } from '../../src-main/shared/models.ts';\nexport type X = Account;\n"],
    ['src-renderer/features/ok.ts', "import { channelNames } from '../../src-main/shared/channel-names.ts';\nexport const x = channelNames;\n"],
  ])('%s: allowed import passes', async (file, code) => {
    expect((await ruleIds(file, code)).some((id) => id.endsWith('no-restricted-imports'))).toBe(false);
  });
});
