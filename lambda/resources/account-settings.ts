import { GetAccountCommand, PutAccountDedicatedIpWarmupAttributesCommand, PutAccountSendingAttributesCommand } from '@aws-sdk/client-pinpoint-email';
import { checkSchemaVersion, optionalBoolean, RawProperties } from '../decode';
import { ResourceFailure } from '../errors';
import { HandlerContext, Outcome, ResourceHandler } from './resource-handler';

/** Decoded `Custom::PinpointEmailAccountSettings` properties: undefined means not declared (left as it is). */
export interface AccountSettings {
  readonly sendingEnabled?: boolean;
  readonly autoWarmupEnabled?: boolean;
}

type Setting = keyof AccountSettings;
type Values = Required<AccountSettings>;

const SETTINGS: readonly Setting[] = ['sendingEnabled', 'autoWarmupEnabled'];

/**
 * The physical id records the values that Create found (`GetAccount`), which Delete puts back. It never changes, so
 * CloudFormation never sees a replacement: `pinpoint-email-account-settings:sending-enabled=<bool>:auto-warmup-enabled=<bool>`.
 */
const PHYSICAL_ID = /^pinpoint-email-account-settings:sending-enabled=(true|false):auto-warmup-enabled=(true|false)$/;

export function accountSettingsPhysicalId(found: Values): string {
  return `pinpoint-email-account-settings:sending-enabled=${found.sendingEnabled}:auto-warmup-enabled=${found.autoWarmupEnabled}`;
}

function parsePhysicalId(physicalId: string): Values | undefined {
  const match = PHYSICAL_ID.exec(physicalId);
  return match ? { sendingEnabled: match[1] === 'true', autoWarmupEnabled: match[2] === 'true' } : undefined;
}

/**
 * The account's settings in the region. Create reads them once and changes the declared ones that differ; an update
 * changes only what changed between the old and new properties (an undeclared setting stands for the value found at
 * create); delete puts back the found value of each declared setting that differs from it.
 */
export const accountSettingsHandler: ResourceHandler<AccountSettings> = {
  label: 'Account settings',

  decode(raw: RawProperties): AccountSettings {
    checkSchemaVersion(raw);
    return { sendingEnabled: optionalBoolean(raw, 'SendingEnabled'), autoWarmupEnabled: optionalBoolean(raw, 'AutoWarmupEnabled') };
  },

  describe: () => 'Email account settings',

  async create(ctx, props) {
    const account = await ctx.client.send(new GetAccountCommand({}));
    const found: Values = { sendingEnabled: account.SendingEnabled ?? true, autoWarmupEnabled: account.DedicatedIpAutoWarmupEnabled ?? true };
    await apply(ctx, found, fill(props, found));
    return outcome(found);
  },

  async update(ctx, physicalId, props, oldProps) {
    const found = parsePhysicalId(physicalId);
    if (!found) throw new ResourceFailure(`physical id ${physicalId} is not one this handler creates`);
    await apply(ctx, fill(oldProps, found), fill(props, found));
    return outcome(found);
  },

  owns: (physicalId) => parsePhysicalId(physicalId) !== undefined,

  async delete(ctx, physicalId, props) {
    const found = parsePhysicalId(physicalId)!;
    await apply(ctx, fill(props, found), found);
  },
};

/** The declared values, with the found ones for what is not declared. */
function fill(props: AccountSettings, found: Values): Values {
  return { sendingEnabled: props.sendingEnabled ?? found.sendingEnabled, autoWarmupEnabled: props.autoWarmupEnabled ?? found.autoWarmupEnabled };
}

/** One call per setting that differs between `from` and `to`; if one fails, the ones already changed go back. */
async function apply(ctx: HandlerContext, from: Values, to: Values): Promise<void> {
  const changed: Setting[] = [];
  try {
    for (const setting of SETTINGS.filter((s) => from[s] !== to[s])) {
      await put(ctx, setting, to[setting]);
      changed.push(setting);
    }
  } catch (error) {
    for (const setting of changed) await put(ctx, setting, from[setting]);
    throw error;
  }
}

async function put(ctx: HandlerContext, setting: Setting, value: boolean): Promise<void> {
  if (setting === 'sendingEnabled') await ctx.client.send(new PutAccountSendingAttributesCommand({ SendingEnabled: value }));
  else await ctx.client.send(new PutAccountDedicatedIpWarmupAttributesCommand({ AutoWarmupEnabled: value }));
}

function outcome(found: Values): Outcome {
  return { physicalResourceId: accountSettingsPhysicalId(found), data: {} };
}
