import { startDnsServer } from './dns-server.ts';
import { startFaultServer, type FaultScript, type FaultServer } from './fault-server.ts';
import { startKeychainSession } from './keychain-session.ts';
import { tempDataDir } from './temp-dir.ts';
import { startWebApp, type WebApp } from './web-app.ts';

export type RelayApp = { app: WebApp; server: FaultServer; accountId: string; dataDir: string; stop(): Promise<void> };

/**
 * Browser mode (`npm run web`'s server) with a Secret Service, a scripted relay on 127.0.0.1
 * and an account for it, saved and tested through the same API the screen uses (the account
 * screen has its own end-to-end test). relay.test has an MX record, so the pre-send checks
 * have nothing to say about it.
 */
export async function startRelayApp(
  name: string,
  script: FaultScript,
  account: { name: string; email: string },
): Promise<RelayApp> {
  const data = tempDataDir(name);
  const keychain = await startKeychainSession();
  const server = await startFaultServer(script);
  const dns = await startDnsServer({}, { mx: { 'relay.test': [{ exchange: 'mx.relay.test', preference: 10 }] } });
  const app = await startWebApp({ dataDir: data.dir, env: { ...keychain.env, POSTHORN_DNS_SERVERS: dns.address } });
  const stop = async () => {
    await app.stop();
    await server.close();
    await dns.close();
    await keychain.stop();
    data.remove();
  };
  const settings = {
    host: '127.0.0.1',
    port: server.port,
    security: 'none' as const,
    auth: 'none' as const,
    username: '',
  };
  const saved = await app.call('accounts.save', { ...account, ...settings });
  // Its connection test is what tells the composer's checks what the server offers.
  const tested = saved.ok ? await app.call('accounts.test', { id: saved.value.id, ...settings }) : saved;
  if (!saved.ok || !tested.ok) {
    await stop();
    throw new Error(`The relay account was not set up: ${JSON.stringify(saved.ok ? tested : saved)}`);
  }
  return { app, server, accountId: saved.value.id, dataDir: data.dir, stop };
}
