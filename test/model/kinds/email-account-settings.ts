import { RemovalPolicy } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { Kind, maybe } from './kind';
import { EmailAccountSettings } from '../../../src';
import { ResourceTypes } from '../../../src/private/contract';
import type { Decl } from '../history';
import type { StepRequest } from '../model';
import type { World } from '../world';

export interface SettingsProps {
  readonly sending?: boolean;
  readonly warmup?: boolean;
}

/** The account's two settings, as the oracle compares them. */
export interface AccountValues {
  readonly sending: boolean;
  readonly warmup: boolean;
}

export const ACCOUNT_KEY = 'account';
const ACCOUNT = 'EmailAccountSettings';

/** Foreign initial states of the account (seeded through `seedForeign`, like foreign resources). */
const PAUSED = 'sending-paused';
const NO_WARMUP = 'auto-warmup-off';

export const emailAccountSettings: Kind<SettingsProps> = {
  name: ACCOUNT,
  constructIds: ['Settings'],
  frequency: 0.3,
  resourceType: ResourceTypes.ACCOUNT_SETTINGS,
  keyedBy: 'singleton',
  untagged: true,
  operations: ['GetAccount', 'PutAccountSendingAttributes', 'PutAccountDedicatedIpWarmupAttributes'],
  names: [PAUSED, NO_WARMUP],
  props: () => fc.record({ sending: maybe(fc.boolean()), warmup: maybe(fc.boolean()) }, { requiredKeys: [] }),
  key: () => ACCOUNT_KEY,
  build: (stack, id, p, retain) => new EmailAccountSettings(stack, id, {
    sendingEnabled: p.sending, autoWarmupEnabled: p.warmup, removalPolicy: retain ? RemovalPolicy.RETAIN : undefined,
  }),
  // Only the declared settings: the others keep the values found at create (AccountSettingsModel).
  expected: (p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)),
  tags: () => ({}),
  observe: (state) => ({
    [ACCOUNT_KEY]: { options: { sending: state.settings.sendingEnabled, warmup: state.settings.dedicatedIpAutoWarmupEnabled }, tags: {} },
  }),
  seedForeign: (state, name) => {
    if (name === PAUSED) state.settings.sendingEnabled = false;
    if (name === NO_WARMUP) state.settings.dedicatedIpAutoWarmupEnabled = false;
  },
};

const fill = (p: SettingsProps, found: AccountValues): AccountValues => ({ sending: p.sending ?? found.sending, warmup: p.warmup ?? found.warmup });
const valuesOf = (world: World): AccountValues => world[ACCOUNT][ACCOUNT_KEY].options as unknown as AccountValues;
const bool = (v: unknown): boolean | undefined => (v === undefined ? undefined : String(v) === 'true');
const show = (v: AccountValues): string => `sending ${v.sending ? 'on' : 'off'}, auto warm-up ${v.warmup ? 'on' : 'off'}`;

/**
 * What the account must hold (docs/decisions.md, "Email account settings"). Create reads the account and records the
 * values it found (in the physical id); declared settings get their value, the others keep theirs; an update changes
 * what changed, a setting no longer declared back to its found value; Delete puts back the found values (so the whole
 * account is as found), RETAIN leaves the declared ones. A rollback restores the state before the deploy.
 */
export class AccountSettingsModel {
  /** What the account holds while the stack has no settings. */
  private unmanaged: AccountValues;
  /** The stack's settings after its last successful deploy: the values its Create recorded, and its declaration. */
  private managed?: { readonly found: AccountValues; readonly decl: Decl };

  constructor(initial: World, private readonly limit: (name: 'killedSettings' | 'lostResponse') => void) {
    this.unmanaged = valuesOf(initial);
  }

  /** What the account holds now. */
  expected(): AccountValues {
    return this.managed ? fill(this.managed.decl.props, this.managed.found) : this.unmanaged;
  }

  /** The account's sending is paused before the deploy, or the deploy pauses it. */
  maySendingBePaused(version: readonly Decl[]): boolean {
    const decl = version.find((d) => d.kind === ACCOUNT);
    // (a setting left unset goes back to what the Create found, or is what the account holds)
    const found = this.managed?.found ?? this.expected();
    return !this.expected().sending || (decl !== undefined && fill(decl.props, found).sending === false);
  }

  afterSuccess(version: readonly Decl[], world: World, requests: readonly StepRequest[]): string[] {
    const decl = version.find((d) => d.kind === ACCOUNT);
    if (decl) {
      this.managed = { found: this.managed?.found ?? this.foundByCreate(requests), decl };
    } else if (this.managed) {
      this.unmanaged = this.managed.decl.retain ? this.expected() : this.managed.found;
      this.managed = undefined;
    }
    return this.check(world);
  }

  /** The rollback restores the settings before the deploy; a Create it rolled back put back what it found. */
  afterFailure(world: World, requests: readonly StepRequest[], lostResponse: boolean, retained: boolean): string[] {
    const create = this.createOf(requests);
    if (create && !this.managed) {
      const found = this.foundByCreate(requests);
      const sent = create.event.request.ResourceProperties ?? {};
      const props = { sending: bool(sent.SendingEnabled), warmup: bool(sent.AutoWarmupEnabled) };
      // Its response lost, CloudFormation never learned its physical id: the rollback's Delete carries a placeholder,
      // which the handler does not delete, so the values it put stay. RETAIN keeps them too.
      const lost = lostResponse && create.event.status === 'FAILED' && /the response was lost/.test(create.event.reason ?? '');
      if (lost) this.limit('lostResponse');
      this.unmanaged = lost || (retained && create.event.status === 'SUCCESS') ? fill(props, found) : found;
    }
    return this.check(world).map((p) => `not rolled back: ${p}`);
  }

  afterDestroy(world: World): string[] {
    if (this.managed) this.unmanaged = this.managed.decl.retain ? this.expected() : this.managed.found;
    this.managed = undefined;
    return this.check(world);
  }

  private check(world: World): string[] {
    const got = valuesOf(world);
    const wanted = this.expected();
    return got.sending === wanted.sending && got.warmup === wanted.warmup ? [] : [`the account holds ${show(got)}, expected ${show(wanted)}`];
  }

  /** The forward phase's Create of the settings. */
  private createOf(requests: readonly StepRequest[]): StepRequest | undefined {
    return requests.find((r) => r.event.resourceType === emailAccountSettings.resourceType && r.event.requestType === 'Create' && /^(CREATE|UPDATE)_IN_PROGRESS$/.test(r.phase));
  }

  /**
   * The values the Create recorded: those its last GetAccount read. A Create killed after a Put is run again by Lambda,
   * and its retry reads (and records) the value the first attempt put.
   */
  private foundByCreate(requests: readonly StepRequest[]): AccountValues {
    let live = this.unmanaged;
    let found = this.unmanaged;
    for (const c of this.createOf(requests)?.calls ?? []) {
      if (c.status !== 200) continue;
      if (c.operation === 'GetAccount') found = live;
      if (c.operation === 'PutAccountSendingAttributes') live = { ...live, sending: c.input.SendingEnabled as boolean };
      if (c.operation === 'PutAccountDedicatedIpWarmupAttributes') live = { ...live, warmup: c.input.AutoWarmupEnabled as boolean };
    }
    if (found.sending !== this.unmanaged.sending || found.warmup !== this.unmanaged.warmup) this.limit('killedSettings');
    return found;
  }
}
