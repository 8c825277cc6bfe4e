/**
 * AWS Secrets Manager, for the secrets a handler reads at deploy time (a BYODKIM private key). Only the client and
 * GetSecretValue are bundled. Endpoint, region and credentials come from the SDK's own configuration
 * (`AWS_ENDPOINT_URL_SECRETS_MANAGER` in the tests), as for the email API.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { clientConfig, ClientOptions, instrument } from './api';
import { ResourceFailure } from './errors';

/** One version of a secret: its ARN, and a version id or a staging label (Secrets Manager's default is `AWSCURRENT`). */
export interface SecretVersion {
  readonly secretArn: string;
  readonly versionId?: string;
  readonly versionStage?: string;
}

/** A secret's value: its text (`SecretString`) or its bytes (`SecretBinary`). */
export type SecretValue = { readonly text: string } | { readonly bytes: Uint8Array };

/** What the resource handlers read secrets with. */
export interface Secrets {
  read(version: SecretVersion): Promise<SecretValue>;
}

export function createSecrets(deadline: number, options: ClientOptions = {}): Secrets {
  const client = instrument(new SecretsManagerClient(clientConfig(deadline, options)));
  return {
    async read(version) {
      const output = await client.send(new GetSecretValueCommand({
        SecretId: version.secretArn, VersionId: version.versionId, VersionStage: version.versionStage,
      }));
      if (output.SecretString !== undefined) return { text: output.SecretString };
      if (output.SecretBinary !== undefined) return { bytes: output.SecretBinary };
      throw new ResourceFailure(`the secret ${version.secretArn} has no value`);
    },
  };
}
