/** Every construct the library exports, in the order a version declares them (a referenced resource first). */
import { configurationSet } from './configuration-set';
import { configurationSetEventDestination } from './configuration-set-event-destination';
import { dedicatedIp } from './dedicated-ip';
import { dedicatedIpPool } from './dedicated-ip-pool';
import { deliverabilityDashboard } from './deliverability-dashboard';
import { deliverabilityTest } from './deliverability-test';
import { emailAccountSettings } from './email-account-settings';
import { emailIdentity } from './email-identity';
import { identityVerification } from './identity-verification';
import { Kind } from './kind';

// (a set before the identities, which may name it as their default set, and before its event destinations; an
// identity before its wait)
export const KINDS: readonly Kind[] = [
  dedicatedIpPool, dedicatedIp, configurationSet, configurationSetEventDestination, emailIdentity, identityVerification,
  deliverabilityDashboard, deliverabilityTest, emailAccountSettings,
];

export function kindNamed(name: string): Kind {
  const kind = KINDS.find((k) => k.name === name);
  if (!kind) throw new Error(`no kind ${name}`);
  return kind;
}

export type { Kind, KindOracle, Observed, Operation, Tags } from './kind';
export { IMPORTED_IDENTITY, IMPORTED_POOL, IMPORTED_SETS, nameOf, SENDER_DOMAIN, THEIR_POOL } from './imports';
export { DASHBOARD_KEY } from './deliverability-dashboard';
export { AccountSettingsModel } from './email-account-settings';
export { VERIFY_AFTER_MS, verifies } from './identity-verification';
