import { DEFAULT_TIMEOUTS } from '../../../src-main/shared/defaults.ts';
import type {
  Account,
  AccountInput,
  AuthMethod,
  PinnedCertificate,
  Security,
} from '../../../src-main/shared/schemas/accounts.ts';
import { bindingChanges } from '../../../src-main/shared/secret-binding.ts';

export type IdentityDraft = {
  key: string;
  id?: string;
  fromName: string;
  fromAddress: string;
  replyTo: string;
  signature: string;
};

/** The form as typed: strings where a person types, converted on submit. */
export type FormState = {
  name: string;
  email: string;
  host: string;
  port: string;
  security: Security;
  auth: AuthMethod;
  username: string;
  password: string;
  ehloName: string;
  connectS: string;
  greetingS: string;
  socketS: string;
  allowPlaintextAuth: boolean;
  maxConnections: string;
  isDefault: boolean;
  pinnedCertificate: PinnedCertificate | null;
  /** The provider a signed-in (OAUTH2) account uses. */
  oauthProvider: string | null;
  /** A sign-in finished in the browser and not saved yet (its tokens stay in the core). */
  signInId: string | null;
  identities: IdentityDraft[];
};

export const DEFAULT_PORT: Record<Security, number> = { starttls: 587, tls: 465, none: 25 };

let keyCounter = 0;
export const newKey = () => `identity-${++keyCounter}`;

export function initialFormState(account?: Account): FormState {
  const t = account?.timeouts ?? DEFAULT_TIMEOUTS;
  return {
    name: account?.name ?? '',
    email: account?.email ?? '',
    host: account?.host ?? '',
    port: String(account?.port ?? DEFAULT_PORT.starttls),
    security: account?.security ?? 'starttls',
    auth: account?.auth ?? 'auto',
    username: account?.username ?? '',
    password: '',
    ehloName: account?.ehloName ?? '',
    connectS: String(t.connectMs / 1000),
    greetingS: String(t.greetingMs / 1000),
    socketS: String(t.socketMs / 1000),
    allowPlaintextAuth: account?.allowPlaintextAuth ?? false,
    maxConnections: String(account?.maxConnections ?? 2),
    isDefault: account?.isDefault ?? false,
    pinnedCertificate: account?.pinnedCertificate ?? null,
    oauthProvider: account?.oauthProvider ?? null,
    signInId: null,
    identities: (account?.identities ?? []).map((i) => ({ ...i, key: newKey() })),
  };
}

const seconds = (value: string) => Math.round(Number(value) * 1000);

/** What the server settings part of the form says, for both Test and Save. */
export function serverSettings(form: FormState, accountId?: string) {
  return {
    ...(accountId ? { id: accountId } : {}),
    host: form.host,
    port: Number(form.port),
    security: form.security,
    auth: form.auth,
    username: form.auth === 'none' ? '' : form.username,
    ehloName: form.ehloName,
    timeouts: {
      connectMs: seconds(form.connectS),
      greetingMs: seconds(form.greetingS),
      socketMs: seconds(form.socketS),
    },
    allowPlaintextAuth: form.allowPlaintextAuth,
    pinnedCertificate: form.pinnedCertificate,
    oauthProvider: form.auth === 'OAUTH2' ? form.oauthProvider : null,
    ...(form.auth === 'OAUTH2' && form.signInId ? { signInId: form.signInId } : {}),
    ...(form.password !== '' ? { password: form.password } : {}),
  };
}

export function toAccountInput(form: FormState, account?: Account, testId?: string): AccountInput {
  return {
    ...serverSettings(form, account?.id),
    ...(testId ? { testId } : {}),
    name: form.name,
    email: form.email,
    isDefault: form.isDefault,
    maxConnections: Number(form.maxConnections),
    identities: form.identities.map(({ key: _key, ...identity }) => identity),
  };
}

/**
 * A new name or address for the account: identities that said the old one follow it, so the
 * name on mail is the one the person just typed (issue 18). Identities given their own name
 * or address keep it.
 */
export function withAccountField(form: FormState, key: 'name' | 'email', value: string): FormState {
  const identityKey = key === 'name' ? 'fromName' : 'fromAddress';
  const old = form[key];
  return {
    ...form,
    [key]: value,
    identities: form.identities.map((identity) =>
      identity[identityKey] === old ? { ...identity, [identityKey]: value } : identity,
    ),
  };
}

/** The server settings as a comparable key (the password included: a test proves it too). */
export function settingsKey(form: FormState): string {
  return JSON.stringify(serverSettings(form));
}

/**
 * Whether saving needs a test first: a new account, or one whose server, login or password
 * changed. Renaming an account or editing its identities does not.
 */
export function needsTest(form: FormState, account: Account | undefined): boolean {
  return account === undefined || settingsKey(form) !== settingsKey(initialFormState(account));
}

/**
 * An account that signs in has no usable sign-in yet: none finished in the browser, and none
 * saved that still works here (same provider and server, not refused by the provider).
 */
export function needsSignIn(form: FormState, account: Account | undefined): boolean {
  if (form.auth !== 'OAUTH2' || form.signInId) return false;
  const saved =
    account?.auth === 'OAUTH2' &&
    account.hasPassword &&
    account.oauthProvider === form.oauthProvider &&
    account.signInNeeded === null;
  return !saved || mustRetypeSecret(form, account);
}

/**
 * The saved password cannot be used with what the form says now (another server, port,
 * security, username or certificate): the core refuses it, so the form asks for it again first.
 */
export function mustRetypeSecret(form: FormState, account: Account | undefined): boolean {
  if (!account?.hasPassword || form.auth === 'none' || form.password !== '') return false;
  const { auth, host, port, security, username, pinnedCertificate, allowPlaintextAuth } = serverSettings(form);
  return (
    bindingChanges(account, { auth, host, port, security, username, pinnedCertificate, allowPlaintextAuth }).length > 0
  );
}
