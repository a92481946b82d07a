/**
 * A secret as kept in the keychain: with the key of the server and login it was saved for
 * (shared/secret-binding.ts `bindingKey`). Reading it for an account whose settings have moved
 * on gives nothing, so a password saved for a new server cannot reach the old one while a save
 * is half done (the keychain is written before the account's row). Values written by earlier
 * versions have no key and are used as they are.
 */
const PREFIX = 'posthorn-bound-v1:';

export function sealSecret(secret: string, bindingKey: string): string {
  return `${PREFIX}${JSON.stringify({ bound: bindingKey, secret })}`;
}

export function unsealSecret(stored: string): { secret: string; bound: string | null } {
  if (!stored.startsWith(PREFIX)) return { secret: stored, bound: null };
  try {
    const parsed = JSON.parse(stored.slice(PREFIX.length)) as { bound?: unknown; secret?: unknown };
    if (typeof parsed.secret === 'string' && typeof parsed.bound === 'string')
      return { secret: parsed.secret, bound: parsed.bound };
  } catch {
    // Not one of ours after all: used as it is, like a value from an earlier version.
  }
  return { secret: stored, bound: null };
}
