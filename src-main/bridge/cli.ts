import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createCore } from '../core/create-core.ts';
import { KeytarSecretStore } from '../core/secrets/keytar-store.ts';
import { resolveDataDir } from '../core/store/data-dir.ts';
import { describeForPerson } from '../shared/errors.ts';
import { startBridge } from './bridge-server.ts';

/** `npm run web`: Posthorn in the browser, for machines without the Electron binary. */
function flag(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const index = argv.findIndex((arg) => arg === name || arg.startsWith(`${name}=`));
  if (index < 0) return undefined;
  const arg = argv[index] ?? '';
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : (argv[index + 1] ?? '');
}

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

async function main(): Promise<void> {
  const dataDir = resolveDataDir(process.argv.slice(2), process.env);
  const staticDir = flag('--static-dir') ?? fileURLToPath(new URL('../../renderer', import.meta.url));
  const portFlag = flag('--port');
  // POSTHORN_DNS_SERVERS="127.0.0.1:5353": where SRV autoconfig asks (tests, split-horizon DNS).
  const dnsServers = process.env.POSTHORN_DNS_SERVERS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const core = createCore({
    dataDir,
    secrets: new KeytarSecretStore(),
    mode: 'browser',
    ...(dnsServers?.length ? { dnsServers } : {}),
  });
  const bridge = await startBridge({ core, staticDir, ...(portFlag ? { port: Number(portFlag) } : {}) });
  // --compose "mailto:…": the page opens a new message from the link (how a mailto: handler calls it).
  const compose = flag('--compose');
  const address = `${bridge.url}#token=${bridge.token}${compose ? `&compose=${encodeURIComponent(compose)}` : ''}`;
  // One machine-readable line first (tests and scripts read it), then the human one.
  process.stdout.write(`POSTHORN_URL=${address}\n`);
  process.stdout.write(
    `Posthorn is running in browser mode. Open ${address}\nData folder: ${dataDir}\nPress Ctrl+C to stop.\n`,
  );
  if (process.argv.includes('--open') && !process.env.CI) openInBrowser(address);

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

main().catch((error: unknown) => {
  process.stderr.write(`Posthorn could not start: ${describeForPerson(error)}\n`);
  process.exit(1);
});
