/**
 * The one rule for domain names that the Pinpoint Email API accepts (identities, MAIL FROM domains, tracking domains,
 * senders' domains, dashboard domains): at least two labels of letters, digits and hyphens (not first or last), the last
 * one starting with a letter, at most 253 characters, no trailing dot; international names in Punycode.
 */
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';

/** The rule as a pattern source without anchors, for a pattern that ends with a domain (an email address). */
export const DOMAIN_SOURCE = `(?=.{1,253}$)(?:${LABEL}\\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?`;

const DOMAIN_PATTERN = new RegExp(`^${DOMAIN_SOURCE}$`);

/** The rule in words, for validation messages. */
export const DOMAIN_RULE = 'labels of letters, digits and hyphens separated by dots, the last one starting with a letter, '
  + 'at most 253 characters, with international names in punycode (xn--)';

export function isDomainName(value: string): boolean {
  return DOMAIN_PATTERN.test(value);
}
