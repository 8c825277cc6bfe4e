import { EMAIL_API_ENV, EmailApiBackends } from '../../src/private/contract';
import { EmailApi } from '../email-api';
import { ResourceFailure } from '../errors';
import { log } from '../log';

/**
 * The previous properties of an update as the stack's API can act on them. The Pinpoint Email API can neither read nor
 * change the options that only SES v2 has (synth refuses them on it): there, those of the previous properties count as
 * unset, so an update that drops them (a stack switched back to Pinpoint Email, or the rollback of an update that
 * switched to SES v2 and set them) makes no call for them, and they stay as they are (logged).
 */
export function previousOn<P extends object>(api: EmailApi, previous: P, sesV2Options: ReadonlyArray<keyof P & string>): P {
  if (api.backend === EmailApiBackends.SES_V2) return previous;
  const set = optionsSet(previous, sesV2Options);
  if (set.length === 0) return previous;
  log('options that only the SES API v2 has are left as they are: the Pinpoint Email API cannot change them', {
    reason: `previously set: ${set.join(', ')}`,
  });
  return { ...previous, ...Object.fromEntries(set.map((option) => [option, undefined])) };
}

/** Which of `options` the properties set (not undefined). */
export function optionsSet<P extends object>(props: P, options: ReadonlyArray<keyof P & string>): string[] {
  return options.filter((option) => props[option] !== undefined);
}

/**
 * Fails, before any call, when the properties set options that only SES v2 has (`used`, by property name) and the
 * handler runs on Pinpoint Email. Synth refuses that, so it means a function whose environment does not match its
 * template; the Pinpoint Email client would drop the members without a word.
 */
export function requireSesV2For(api: EmailApi, used: readonly string[]): void {
  if (api.backend === EmailApiBackends.SES_V2 || used.length === 0) return;
  throw new ResourceFailure(`${used.join(', ')} needs the SES API v2, and the handler runs on the Pinpoint Email API ` +
    `(its function's ${EMAIL_API_ENV} is not "sesv2"): deploy the stack with the context key cdk-pinpoint-email:api set to "sesv2"`);
}
