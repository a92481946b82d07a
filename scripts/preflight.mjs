// `npm test` starts here: it stops at once, naming what to install, instead of letting a test
// time out later because Chromium, a Secret Service or D-Bus is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import './check-node.mjs';

const INSTALL = 'On Debian/Ubuntu, install everything with: sudo bash scripts/install-system-deps.sh';

function onPath(command) {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
  return result.status === 0;
}

export const chromiumPath = process.env.POSTHORN_CHROMIUM ?? '/usr/bin/chromium';

const needs = [
  { ok: () => existsSync(chromiumPath), what: `Chromium at ${chromiumPath} (package: chromium; or set POSTHORN_CHROMIUM)` },
  { ok: () => onPath('dbus-run-session'), what: 'D-Bus, for dbus-run-session (package: dbus)' },
  { ok: () => onPath('gnome-keyring-daemon'), what: 'a Secret Service: gnome-keyring-daemon (package: gnome-keyring)' },
  { ok: () => onPath('secret-tool'), what: 'secret-tool, to check the keychain from outside (package: libsecret-tools)' },
  { ok: () => onPath('openssl'), what: 'openssl, for test certificates (package: openssl)' },
];

if (process.platform === 'linux') {
  const missing = needs.filter((need) => !need.ok());
  if (missing.length > 0) {
    console.error('The tests need programs that are not installed:');
    for (const need of missing) console.error(`  - ${need.what}`);
    console.error(INSTALL);
    process.exit(1);
  }
} else {
  console.error('npm test runs its keychain and browser tests on Linux (Secret Service, Debian Chromium). On this OS, run npm run test:unit.');
  process.exit(1);
}
