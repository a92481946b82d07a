import { describe, expect, it } from 'vitest';
import { parseCliOptions, USAGE } from '../../../src-main/bridge/cli-options.ts';

describe("npm run web's arguments", () => {
  it('reads every option, in both spellings', () => {
    const argv = ['--data-dir', 'd', '--port=8080', '--open', '--compose', 'mailto:a@b.test', '--static-dir=s'];
    expect(parseCliOptions(argv)).toEqual({
      dataDir: 'd',
      port: 8080,
      open: true,
      compose: 'mailto:a@b.test',
      staticDir: 's',
      help: false,
    });
    expect(parseCliOptions(['-h']).help).toBe(true);
    expect(parseCliOptions(['--help']).help).toBe(true);
    expect(parseCliOptions([])).toEqual({
      dataDir: undefined,
      port: undefined,
      open: false,
      compose: undefined,
      staticDir: undefined,
      help: false,
    });
  });

  it.each([
    [['--dat-dir', 'x'], /Unknown option '--dat-dir'/],
    [['--port', 'eighty'], /--port eighty is not a port number/],
    [['--port', '70000'], /not a port number/],
    [['stray'], /positional/],
    [['--data-dir'], /argument missing/],
  ])('%j is refused with what to do', (argv, message) => {
    let caught: unknown = null;
    try {
      parseCliOptions(argv);
    } catch (error) {
      caught = error;
    }
    const { code, message: text, hint } = (caught as { error: { code: string; message: string; hint: string } }).error;
    expect(code).toBe('BAD_INPUT');
    expect(text).toMatch(message);
    expect(hint).toContain(USAGE);
  });
});
