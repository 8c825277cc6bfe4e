import { IConstruct } from 'constructs';
import { EmailApi, EmailApiVersion } from '../email-api';

/**
 * The synth-time problems of props that only the SES API v2 has, set while `scope`'s stack uses the Pinpoint Email
 * API: one message per prop, naming it and the switch. `props` maps each such prop's name to its value.
 */
export function sesV2OnlyProblems(scope: IConstruct, props: Record<string, unknown>): string[] {
  const used = Object.keys(props).filter((prop) => props[prop] !== undefined);
  if (used.length === 0 || chosenApi(scope) !== EmailApiVersion.PINPOINT_EMAIL) return [];
  return used.map((prop) => `${prop} needs the SES API v2, and this stack uses the Pinpoint Email API: set the context key ` +
    `${EmailApi.CONTEXT_KEY} to "sesv2", or call EmailApi.use(stack, EmailApiVersion.SES_V2)`);
}

/**
 * Whether `scope`'s stack uses the SES API v2, asked when the template is rendered (EmailApi.use may come after the
 * constructs): the grants of operations that only SES v2 has are in the handler's policy then, and then always.
 */
export function usesSesV2(scope: IConstruct): boolean {
  return chosenApi(scope) === EmailApiVersion.SES_V2;
}

/** The stack's API; undefined when the context key is invalid, which the handler function reports. */
function chosenApi(scope: IConstruct): EmailApiVersion | undefined {
  try {
    return EmailApi.of(scope);
  } catch {
    return undefined;
  }
}
