import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestCertificate } from './certs.ts';

export type Exim = {
  port: number;
  /** Every message delivered to the maildir, oldest first, as stored (Exim's headers on top). */
  delivered(): Buffer[];
  /** Exim's own main log, line by line. */
  mainlog(): string[];
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
};

const EXIM = '/usr/sbin/exim4';
const EXIM_USER = 'Debian-exim';

/** Why a real Exim cannot run here, or null. */
export function eximSkipReason(): string | null {
  if (process.platform !== 'linux') return 'Exim is tried on Linux only';
  if (!existsSync(EXIM))
    return 'exim4 is not installed (package: exim4-daemon-light; scripts/install-system-deps.sh installs it)';
  if (process.getuid?.() !== 0) return 'Exim needs root to start with its own configuration (it runs as root in CI)';
  const user = spawnSync('id', ['-u', EXIM_USER]);
  if (user.status !== 0) return `the ${EXIM_USER} user is missing`;
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function listening(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/**
 * A real MTA: Debian's Exim on 127.0.0.1, configured in a folder of its own as a submission
 * server: STARTTLS with the test certificate, AUTH PLAIN and LOGIN (offered only once encrypted)
 * for one user, recipients refused at RCPT where `refuse` says, every accepted message delivered
 * to one maildir. Started and stopped like a daemon; nothing outside its folder is touched.
 */
export async function startExim(options: {
  certificate: TestCertificate;
  user: string;
  password: string;
  refuse: string[];
  /** As a domain's MX: mail is taken without a login (direct delivery, issue 21). */
  asMx?: boolean;
}): Promise<Exim> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'posthorn-exim-'));
  const port = await freePort();
  for (const sub of ['spool', 'log', 'mail']) mkdirSync(path.join(dir, sub));
  writeFileSync(path.join(dir, 'cert.pem'), options.certificate.cert);
  writeFileSync(path.join(dir, 'key.pem'), options.certificate.key, { mode: 0o600 });
  const uid = Number(spawnSync('id', ['-u', EXIM_USER], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', EXIM_USER], { encoding: 'utf8' }).stdout.trim());
  for (const entry of ['.', 'spool', 'log', 'mail', 'cert.pem', 'key.pem']) chownSync(path.join(dir, entry), uid, gid);
  const config = path.join(dir, 'exim.conf');
  writeFileSync(config, eximConfig(dir, port, options));
  let child: ChildProcess | null = null;
  const start = async () => {
    // A process group of its own: stopping it stops the daemon and every session it forked.
    child = spawn(EXIM, ['-C', config, '-bdf', '-odi'], { stdio: 'ignore', detached: true });
    if (!(await listening(port, 10_000)))
      throw new Error(`Exim did not listen on ${port}:\n${readLog(dir).join('\n')}`);
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    try {
      process.kill(-running.pid!, 'SIGKILL');
    } catch {
      running.kill('SIGKILL');
    }
    await exited;
  };
  await start();
  return {
    port,
    delivered: () => {
      const folder = path.join(dir, 'mail', 'new');
      if (!existsSync(folder)) return [];
      return readdirSync(folder)
        .sort()
        .map((name) => readFileSync(path.join(folder, name)));
    },
    mainlog: () => readLog(dir),
    stop,
    start,
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readLog(dir: string): string[] {
  const file = path.join(dir, 'log', 'mainlog');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

function eximConfig(
  dir: string,
  port: number,
  o: { user: string; password: string; refuse: string[]; asMx?: boolean },
): string {
  const refused = o.refuse.length > 0 ? o.refuse.join(' : ') : '!*';
  // As an MX, mail comes in without a login; as a submission server, only after one.
  const authRequired = o.asMx
    ? ''
    : '  deny    message = 5.7.1 Authentication required\n          !authenticated = *\n';
  return `keep_environment =
notifier_socket =
primary_hostname = mta.posthorn.test
exim_user = ${EXIM_USER}
exim_group = ${EXIM_USER}
never_users = root
spool_directory = ${dir}/spool
log_file_path = ${dir}/log/%slog
local_interfaces = <; 127.0.0.1
daemon_smtp_ports = ${port}
host_lookup =
rfc1413_hosts =
tls_advertise_hosts = *
tls_certificate = ${dir}/cert.pem
tls_privatekey = ${dir}/key.pem
auth_advertise_hosts = \${if eq{$tls_in_cipher}{}{}{*}}
acl_smtp_rcpt = acl_check_rcpt
message_size_limit = 20M
log_selector = +tls_cipher +smtp_confirmation +received_recipients +smtp_protocol_error +smtp_syntax_error

begin acl
acl_check_rcpt:
${authRequired}  deny    message = 5.1.1 No such user here
          local_parts = ${refused}
  accept

begin routers
everyone:
  driver = accept
  transport = to_maildir

begin transports
to_maildir:
  driver = appendfile
  directory = ${dir}/mail
  maildir_format
  user = ${EXIM_USER}
  group = ${EXIM_USER}
  delivery_date_add
  envelope_to_add
  return_path_add

begin retry
*   *   F,1m,10s

begin authenticators
plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = \${if and {{eq{$auth2}{${o.user}}}{eq{$auth3}{${o.password}}}}}
  server_set_id = $auth2
login:
  driver = plaintext
  public_name = LOGIN
  server_prompts = Username:: : Password::
  server_condition = \${if and {{eq{$auth1}{${o.user}}}{eq{$auth2}{${o.password}}}}}
  server_set_id = $auth1
`;
}
