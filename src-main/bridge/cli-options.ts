import { parseArgs } from 'node:util';
import { AppFailure, appError } from '../shared/errors.ts';

export type CliOptions = {
  dataDir: string | undefined;
  staticDir: string | undefined;
  port: number | undefined;
  /** Open the address in the browser (npm run web passes it; never under CI). */
  open: boolean;
  /** A mailto: link to open as a new message (how a mail handler calls Posthorn). */
  compose: string | undefined;
  /** Print the usage and stop, touching nothing. */
  help: boolean;
};

export const USAGE =
  'Usage: npm run web -- [--data-dir DIR] [--port PORT] [--compose "mailto:…"] [--static-dir DIR] [--help]';

/** What --help prints. */
export const HELP = [
  'Posthorn in your browser: serves the app on 127.0.0.1 and prints the address to open.',
  '',
  USAGE,
  '',
  '  --data-dir DIR     where Posthorn keeps its data (default: POSTHORN_DATA_DIR, else your user data folder)',
  '  --port PORT        the port to listen on (default: any free port)',
  '  --compose URL      open a new message from a mailto: link',
  '  --static-dir DIR   serve the interface from DIR instead of the built one',
  '  --help             show this and stop',
].join('\n');

/** `npm run web`'s arguments, with Node's own parser; anything it does not know is an error that shows the usage. */
export function parseCliOptions(argv: readonly string[]): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        'data-dir': { type: 'string' },
        'static-dir': { type: 'string' },
        port: { type: 'string' },
        open: { type: 'boolean', default: false },
        compose: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new AppFailure(appError('BAD_INPUT', (error as Error).message, USAGE));
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535))
    throw new AppFailure(
      appError(
        'BAD_INPUT',
        `--port ${String(values.port)} is not a port number.`,
        `Use a number from 1 to 65535, or leave it out for any free port. ${USAGE}`,
      ),
    );
  return {
    dataDir: values['data-dir'] as string | undefined,
    staticDir: values['static-dir'] as string | undefined,
    port,
    open: values.open === true,
    compose: values.compose as string | undefined,
    help: values.help === true,
  };
}
