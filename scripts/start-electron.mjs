// `npm start`: runs the desktop app. Where the Electron binary is missing and cannot be
// downloaded (an offline or locked-down machine), say so in one line and point to browser mode.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const electronDir = path.dirname(require.resolve('electron/package.json'));

function binaryPath() {
  const pathFile = path.join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

let binary = binaryPath();
if (!binary && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  // Electron downloads its runtime on first use; try once, quietly, with a time limit.
  spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { stdio: 'ignore', timeout: 120_000 });
  binary = binaryPath();
}
if (!binary) {
  console.error(
    'Posthorn: the Electron runtime is not installed and could not be downloaded here; run `npm run web` to use Posthorn in your browser instead.',
  );
  process.exit(1);
}

// The tray icon is drawn from assets/icon.svg (the packaged app carries it as a resource).
if (!existsSync(fileURLToPath(new URL('../build/tray.png', import.meta.url)))) {
  spawnSync(process.execPath, [fileURLToPath(new URL('./make-icons.mjs', import.meta.url))], { stdio: 'inherit' });
}

const child = spawn(binary, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
