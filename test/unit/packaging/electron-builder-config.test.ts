import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

type Validate = (config: unknown, logger: unknown) => Promise<void>;

/** electron-builder.yml against electron-builder's own schema (the check `npm run dist` would do first). */
describe('electron-builder.yml', () => {
  // The schema check lives in electron-builder's own dependencies: resolve them from there.
  const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'));
  const { validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config.js') as {
    validateConfiguration: Validate;
  };
  const { DebugLogger } = fromBuilder('builder-util/out/DebugLogger.js') as {
    DebugLogger: new (enabled: boolean) => unknown;
  };
  const config = load(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>;

  it('is valid', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('a wrong key is caught by the same check', async () => {
    await expect(validateConfiguration({ ...config, notAnOption: true }, new DebugLogger(false))).rejects.toThrow(
      /notAnOption/,
    );
  });

  it('ships the built app only', () => {
    expect(config.appId).toBe('org.posthorn.app');
    expect(config.files).toContain('dist/**/*');
  });
});
