// `npm run dist`: the installers for the OS this runs on (Windows: NSIS per-user + portable;
// macOS: dmg + zip; Linux: AppImage + deb). electron-builder needs the Electron runtime for the
// target; it is fetched once (from ELECTRON_MIRROR if set) into Electron's cache. Where that is
// impossible (no internet, as on Posthorn's own CI machines), this stops first, saying why and
// what to do, instead of failing deep inside electron-builder.
//   node scripts/dist.mjs --check   only the check (exit 0: ready to package, 1: not)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadArtifact } from '@electron/get';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const platform = process.platform;
const arch = process.arch;
const TIMEOUT_MS = Number(process.env.POSTHORN_DIST_TIMEOUT_MS ?? 60_000);

async function electronRuntime() {
  const fetching = downloadArtifact({ version: electronVersion, artifactName: 'electron', platform, arch });
  const timeout = new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS).unref(),
  );
  return Promise.race([fetching, timeout]);
}

try {
  const zip = await electronRuntime();
  console.log(`Electron ${electronVersion} for ${platform}-${arch}: ${zip}`);
} catch (error) {
  const cause = error?.cause?.code ?? error?.cause?.message;
  const reason = `${String(error instanceof Error ? error.message : error).split('\n')[0]}${cause ? `: ${cause}` : ''}`;
  console.error(
    [
      `npm run dist stopped: the Electron ${electronVersion} runtime for ${platform}-${arch} could not be downloaded (${reason}).`,
      "Packaging needs it once; it is then kept in Electron's cache. To go on, either:",
      '  - run npm run dist on a machine that can reach github.com, or',
      '  - set ELECTRON_MIRROR to a mirror you can reach (for example an internal one), or',
      `  - put electron-v${electronVersion}-${platform}-${arch}.zip into Electron's cache (electron_config_cache, see @electron/get).`,
      'Nothing was built. Posthorn itself can be used without Electron: npm run web.',
    ].join('\n'),
  );
  process.exit(1);
}

if (process.argv.includes('--check')) process.exit(0);

const run = (command, args) =>
  execFileSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
run('npm', ['run', 'build']);
run('node', ['scripts/make-icons.mjs']);
const target = { darwin: '--mac', win32: '--win', linux: '--linux' }[platform];
if (!target) {
  console.error(`npm run dist builds for Windows, macOS and Linux; this is ${platform}.`);
  process.exit(1);
}
run(process.execPath, [require.resolve('electron-builder/cli.js'), target, '--publish', 'never']);
