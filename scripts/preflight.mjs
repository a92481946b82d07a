// `npm test` starts here: it stops at once, naming what to install, instead of letting a test
// time out later because Chromium, a Secret Service or D-Bus is missing.
//   Linux: Debian's Chromium (or POSTHORN_CHROMIUM), a private gnome-keyring Secret Service on
//          its own D-Bus session, secret-tool and openssl.
//   macOS and Windows: the OS keychain itself (tests use a keychain service of their own and
//          remove what they wrote), a Chrome or Chromium named by POSTHORN_CHROMIUM, openssl.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import './check-node.mjs';

const INSTALL = {
  linux: 'On Debian/Ubuntu, install everything with: sudo bash scripts/install-system-deps.sh',
  darwin:
    'On macOS: install Google Chrome and set POSTHORN_CHROMIUM to its binary; openssl comes with macOS (or brew install openssl@3).',
  win32:
    'On Windows: install Google Chrome and set POSTHORN_CHROMIUM to chrome.exe; openssl comes with Git for Windows.',
};

function onPath(command) {
  const result =
    process.platform === 'win32'
      ? spawnSync('where', [command], { stdio: 'ignore' })
      : spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
  return result.status === 0;
}

const defaultChromium = process.platform === 'linux' ? '/usr/bin/chromium' : '';
export const chromiumPath = process.env.POSTHORN_CHROMIUM ?? defaultChromium;

const chromium = {
  ok: () => chromiumPath !== '' && existsSync(chromiumPath),
  what:
    process.platform === 'linux'
      ? `Chromium at ${chromiumPath} (package: chromium; or set POSTHORN_CHROMIUM)`
      : `Chrome or Chromium: set POSTHORN_CHROMIUM to its binary${chromiumPath ? ` (now ${chromiumPath}, which does not exist)` : ''}`,
};
const openssl = { ok: () => onPath('openssl'), what: 'openssl, for test certificates (package: openssl)' };
const needs = {
  linux: [
    chromium,
    { ok: () => onPath('dbus-run-session'), what: 'D-Bus, for dbus-run-session (package: dbus)' },
    {
      ok: () => onPath('gnome-keyring-daemon'),
      what: 'a Secret Service: gnome-keyring-daemon (package: gnome-keyring)',
    },
    {
      ok: () => onPath('secret-tool'),
      what: 'secret-tool, to check the keychain from outside (package: libsecret-tools)',
    },
    openssl,
  ],
  darwin: [chromium, openssl],
  win32: [chromium, openssl],
}[process.platform];

if (!needs) {
  console.error(`npm test runs on Linux, macOS and Windows; this is ${process.platform}. Run npm run test:unit.`);
  process.exit(1);
}
const missing = needs.filter((need) => !need.ok());
if (missing.length > 0) {
  console.error('The tests need programs that are not installed:');
  for (const need of missing) console.error(`  - ${need.what}`);
  console.error(INSTALL[process.platform]);
  process.exit(1);
}
