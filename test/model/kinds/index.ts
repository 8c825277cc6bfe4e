/** Every construct the library exports, in the order a version declares them (a referenced resource first). */
import { configurationSet } from './configuration-set';
import { configurationSetEventDestination } from './configuration-set-event-destination';
import { dedicatedIpPool } from './dedicated-ip-pool';
import { deliverabilityDashboard } from './deliverability-dashboard';
import { deliverabilityTest } from './deliverability-test';
import { emailAccountSettings } from './email-account-settings';
import { emailIdentity } from './email-identity';
import { Kind } from './kind';

// (a set before the identities, which may name it as their default set, and before its event destinations)
export const KINDS: readonly Kind[] = [
  dedicatedIpPool, configurationSet, configurationSetEventDestination, emailIdentity, deliverabilityDashboard, deliverabilityTest,
  emailAccountSettings,
];

export function kindNamed(name: string): Kind {
  const kind = KINDS.find((k) => k.name === name);
  if (!kind) throw new Error(`no kind ${name}`);
  return kind;
}

export type { Kind, Observed, Tags } from './kind';
export { SENDER_DOMAIN } from './deliverability-test';
export { DASHBOARD_KEY } from './deliverability-dashboard';
export { selfConflicts } from './configuration-set-event-destination';
export { AccountSettingsModel } from './email-account-settings';
