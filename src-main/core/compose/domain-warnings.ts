import { isLocalDomain } from '../../shared/address-list.ts';
import type { ComposeWarning } from '../../shared/schemas/compose.ts';
import { choose } from '../../shared/wording.ts';
import type { Mailbox } from './addresses.ts';
import { likelyMeant, mailDomainStatus, type MailDomainResolver } from './mail-domain.ts';

/**
 * What the recipients' domains say before sending: a local address (one label, or an address
 * literal) only a server nearby can deliver, and a domain with no mail server at all (with the
 * provider it was probably meant to be). Local domains are said, not looked up.
 */
export async function recipientDomainWarnings(
  recipients: readonly Mailbox[],
  resolver: MailDomainResolver,
): Promise<ComposeWarning[]> {
  const warnings: ComposeWarning[] = [];
  const local = recipients.filter((r) => isLocalDomain(r.address)).map((r) => r.address);
  if (local.length > 0)
    warnings.push({
      code: 'LOCAL_ADDRESS',
      message: `${local.slice(0, 3).join(', ')}${local.length > 3 ? ` and ${local.length - 3} more` : ''} ${choose(local.length, 'is a local address', 'are local addresses')}: only a server on your own network can deliver ${choose(local.length, 'it', 'them')}, public mail servers will not.`,
      hint: 'Send anyway if this account is such a server (a company or test server); otherwise check the address.',
    });
  const domains = [
    ...new Set(
      recipients
        .filter((r) => !isLocalDomain(r.address))
        .map((r) => r.address.slice(r.address.lastIndexOf('@') + 1).toLowerCase()),
    ),
  ].slice(0, 20);
  const statuses = await Promise.all(
    domains.map(async (domain) => ({ domain, status: await mailDomainStatus(resolver, domain) })),
  );
  for (const { domain } of statuses.filter((s) => s.status === 'none')) {
    const meant = likelyMeant(domain);
    warnings.push({
      code: 'NO_MAIL_DOMAIN',
      message: `No mail server exists for "${domain}"${meant ? ` — did you mean ${meant}?` : '.'}`,
      hint: 'Check the spelling of the address.',
      ...(meant ? { fix: { action: 'replace-domain' as const, label: `Use ${meant}`, from: domain, to: meant } } : {}),
    });
  }
  return warnings;
}
