import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isEnumMember } from './private/validation';

/** The API that a stack's handler calls to manage its resources. */
export enum EmailApiVersion {
  /** The Amazon Pinpoint Email API (`/v1/email`), the default. Amazon Pinpoint reached its end of support on 2026-10-30. */
  PINPOINT_EMAIL = 'pinpoint-email',
  /** The Amazon SES API v2 (`/v2/email`): the same resources, ARNs and IAM actions, plus the options only it has. */
  SES_V2 = 'sesv2',
}

const CHOSEN = new WeakMap<Stack, EmailApiVersion>();

/**
 * Chooses the API behind the constructs of a stack: the Pinpoint Email API (the default) or the SES API v2.
 *
 * The choice reaches the stack's handler function (its environment) and its policies (the actions only SES v2 has),
 * never a resource's properties: switching a deployed stack in either direction replaces nothing and sends no request
 * to the resources. Options that only SES v2 has fail synthesis on the Pinpoint Email API, naming the prop.
 *
 * For a whole app, set the context key `cdk-pinpoint-email:api` to `sesv2` (or `pinpoint-email`) in `cdk.json`; for
 * one stack, call `EmailApi.use(stack, EmailApiVersion.SES_V2)`, which wins over the context key.
 */
export class EmailApi {
  /** The context key that chooses the API of every stack in its scope: `pinpoint-email` (the default) or `sesv2`. */
  public static readonly CONTEXT_KEY = 'cdk-pinpoint-email:api';

  /** Chooses the API of `stack`, whatever the context key says. It may be called before or after adding constructs. */
  public static use(stack: Stack, version: EmailApiVersion): void {
    if (!isEnumMember(EmailApiVersion, version)) {
      throw new Error(`${stack.node.path}: EmailApi.use: ${JSON.stringify(version)} is not an EmailApiVersion: use EmailApiVersion.PINPOINT_EMAIL or EmailApiVersion.SES_V2`);
    }
    CHOSEN.set(stack, version);
  }

  /**
   * The API of `scope`'s stack: the one given to `use`, else the context key, else Pinpoint Email. Throws when the
   * context key holds another value, naming the key.
   */
  public static of(scope: IConstruct): EmailApiVersion {
    const stack = Stack.of(scope);
    const chosen = CHOSEN.get(stack);
    if (chosen) return chosen;
    const value: unknown = stack.node.tryGetContext(EmailApi.CONTEXT_KEY);
    if (value === undefined) return EmailApiVersion.PINPOINT_EMAIL;
    if (!isEnumMember(EmailApiVersion, value)) {
      throw new Error(`The context key ${EmailApi.CONTEXT_KEY} is ${JSON.stringify(value)}: use "pinpoint-email" (the default) or "sesv2"`);
    }
    return value;
  }

  private constructor() {}
}
