import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createCore } from '../core/create-core.ts';
import { AppLog } from '../core/logs/app-log.ts';
import { KeytarSecretStore } from '../core/secrets/keytar-store.ts';
import { resolveDataDir } from '../core/store/data-dir.ts';
import { describeForPerson } from '../shared/errors.ts';
import { plural } from '../shared/wording.ts';
import { startBridge } from './bridge-server.ts';
import { HELP, parseCliOptions, type CliOptions } from './cli-options.ts';

/** `npm run web`: Posthorn in the browser, for machines without the Electron binary. */
function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // The address is printed; opening a browser is only a convenience.
  }
}

async function main(options: CliOptions, log: AppLog, dataDir: string): Promise<void> {
  const staticDir = options.staticDir ?? fileURLToPath(new URL('../../renderer', import.meta.url));
  // POSTHORN_DNS_SERVERS="127.0.0.1:5353": where SRV autoconfig asks (tests, split-horizon DNS).
  const dnsServers = process.env.POSTHORN_DNS_SERVERS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const core = createCore({
    dataDir,
    secrets: new KeytarSecretStore(),
    mode: 'browser',
    log,
    ...(dnsServers?.length ? { dnsServers } : {}),
    // POSTHORN_DIRECT_PORT: the port recipients' mail servers are reached on for direct delivery (25; tests).
    ...(Number(process.env.POSTHORN_DIRECT_PORT) > 0
      ? { directDeliveryPort: Number(process.env.POSTHORN_DIRECT_PORT) }
      : {}),
  });
  const bridge = await startBridge({
    core,
    staticDir,
    ...(options.port !== undefined ? { port: options.port } : {}),
    // Each admission is said, so a browser the person did not open shows up here.
    onAdmitted: (sessions) =>
      process.stdout.write(
        `A browser was let in with a start link (${plural(sessions, 'session', 'sessions')} now).\n`,
      ),
  });
  // --compose "mailto:…": the page opens a new message from the link (how a mailto: handler calls it).
  const compose = options.compose ? `&compose=${encodeURIComponent(options.compose)}` : '';
  const address = `${bridge.newStartLink()}${compose}`;
  // One machine-readable line first (tests and scripts read it), then the human one.
  process.stdout.write(`POSTHORN_URL=${address}\n`);
  process.stdout.write(
    `Posthorn is running in browser mode. Open ${address}\n` +
      `The link works once, within a minute. Press Enter here for a new one (another browser or tab).\n` +
      `Data folder: ${dataDir}\nLog: ${log.dir}\nPress Ctrl+C to stop.\n`,
  );
  if (options.open && !process.env.CI) openInBrowser(address);
  // Enter (any line on standard input): a new single-use link, never opened by itself.
  createInterface({ input: process.stdin }).on('line', () => {
    const next = bridge.newStartLink();
    process.stdout.write(`POSTHORN_URL=${next}\nA new link, for one browser, within a minute: ${next}\n`);
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await bridge.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

function fail(error: unknown, log: AppLog | null): never {
  log?.error('start', error);
  process.stderr.write(`Posthorn could not start: ${describeForPerson(error)}\n`);
  process.exit(1);
}

let options: CliOptions;
try {
  options = parseCliOptions(process.argv.slice(2));
} catch (error) {
  fail(error, null);
}
if (options.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
const dataDir = resolveDataDir(options.dataDir, process.env);
const log = new AppLog(dataDir);
main(options, log, dataDir).catch((error: unknown) => fail(error, log));
