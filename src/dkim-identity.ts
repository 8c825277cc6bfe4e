import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/** The length of the RSA keys that Easy DKIM generates. */
export enum EasyDkimSigningKeyLength {
  /** 1024-bit keys. */
  RSA_1024_BIT = 'RSA_1024_BIT',
  /** 2048-bit keys, SES's default. */
  RSA_2048_BIT = 'RSA_2048_BIT',
}

/** Options of `DkimIdentity.byoDkim`. */
export interface ByoDkimOptions {
  /**
   * The Secrets Manager secret that holds the private key. The handler reads it at deploy time: the key never appears
   * in the template, in the custom resource's properties, in its response or in the logs, and the handler's role may
   * read this one secret (and decrypt it with its customer-managed key, if it has one).
   *
   * The value is the key as `openssl genrsa` writes it: a PEM file (`-----BEGIN PRIVATE KEY-----` or
   * `-----BEGIN RSA PRIVATE KEY-----`, unencrypted), or its base64 body alone; a binary secret holds the DER bytes.
   * An RSA key of 1024 or 2048 bits. The handler sends SES the base64 body, without the PEM lines, as SES wants it.
   */
  readonly privateKey: secretsmanager.ISecret;

  /**
   * The field of the secret's JSON text that holds the key, for a secret that holds more than the key.
   * @default - the whole value of the secret is the key
   */
  readonly privateKeyJsonField?: string;

  /**
   * The version of the secret to read, by its id. CloudFormation does not see a new version of a secret: to sign with
   * a rotated key, change this (or `privateKeyVersionStage`, or the `selector`) and deploy. A rollback then reads the
   * version it names again.
   * @default - the version with the staging label in `privateKeyVersionStage`
   */
  readonly privateKeyVersionId?: string;

  /**
   * The version of the secret to read, by its staging label. Not with `privateKeyVersionId`.
   * @default - `AWSCURRENT`, the version Secrets Manager calls current when the deployment reads it
   */
  readonly privateKeyVersionStage?: string;

  /**
   * The selector: the DKIM public key's record is `<selector>._domainkey.<domain>`. 1 to 63 letters, digits and
   * hyphens, starting and ending with a letter or a digit.
   */
  readonly selector: string;

  /**
   * The public key that pairs with the private key (PEM, or its base64 body). With `Identity.publicHostedZone`, the
   * identity publishes its TXT record (`<selector>._domainkey.<domain>`, `p=<public key>`); it is also listed in
   * `EmailIdentity.dkimRecords`. The library cannot derive it: the private key is only read at deploy time.
   * @default - no record is published: publish the TXT record yourself
   */
  readonly publicKey?: string;
}

/**
 * How SES DKIM-signs email from a domain identity: Easy DKIM (SES generates and rotates the keys, and the domain
 * publishes three CNAME records) or Bring Your Own DKIM (your key pair, and one TXT record). Both need the SES API v2.
 */
export abstract class DkimIdentity {
  /**
   * Easy DKIM, with keys of the given length. SES allows a change of the length at most once a day.
   * @param signingKeyLength the length of the next key pair; without it, SES's default (2048 bits)
   */
  public static easyDkim(signingKeyLength?: EasyDkimSigningKeyLength): DkimIdentity {
    return new EasyDkim(signingKeyLength);
  }

  /** Bring Your Own DKIM: SES signs with your private key, read from a Secrets Manager secret at deploy time. */
  public static byoDkim(options: ByoDkimOptions): DkimIdentity {
    return new ByoDkim(options);
  }

  /**
   * Easy DKIM's key length.
   * @default - SES's default with Easy DKIM; none with BYODKIM
   */
  public abstract readonly signingKeyLength?: EasyDkimSigningKeyLength;

  /**
   * The options of BYODKIM.
   * @default - none: Easy DKIM
   */
  public abstract readonly byoDkimOptions?: ByoDkimOptions;
}

class EasyDkim extends DkimIdentity {
  public readonly byoDkimOptions = undefined;

  constructor(public readonly signingKeyLength?: EasyDkimSigningKeyLength) {
    super();
  }
}

class ByoDkim extends DkimIdentity {
  public readonly signingKeyLength = undefined;

  constructor(public readonly byoDkimOptions: ByoDkimOptions) {
    super();
  }
}
