/**
 * What someone else made before every history and versions import by name: sets that destinations go on
 * (`ConfigurationSet.fromConfigurationSetName`), a pool that sets send from (`DedicatedIpPool.fromDedicatedIpPoolName`)
 * and a verified domain that tests send from (`EmailIdentity.fromEmailIdentityName`). A prop names each by a pseudo
 * construct id, as it names a resource of the same version by its construct id.
 */
import type { Lookup } from './kind';

/** Someone else's pool: it also holds leased dedicated IPs (dedicated-ip.ts). */
export const THEIR_POOL = 'their-pool';
export const IMPORTED_POOL = 'ImportedPool';

/** A verified domain of someone else: its addresses send tests, given as an address or as the imported identity. */
export const SENDER_DOMAIN = 'verified.example.com';
export const IMPORTED_IDENTITY = 'ImportedIdentity';

/** What each pseudo construct id imports: two sets of someone else's (the first holds one of their destinations). */
const IMPORTED: Readonly<Record<string, string>> = {
  Imported0: 'shared-set', Imported1: 'their-set', [IMPORTED_POOL]: THEIR_POOL, [IMPORTED_IDENTITY]: SENDER_DOMAIN,
};
/** The pseudo construct ids of a destination's `set`, and the sets they import. */
export const IMPORTED_SET_IDS = ['Imported0', 'Imported1'];
export const IMPORTED_SETS: readonly string[] = IMPORTED_SET_IDS.map((id) => IMPORTED[id]);

/** The name imported by `ref`, if it is a pseudo construct id. */
export const importedName = (ref: string | undefined): string | undefined => (ref && IMPORTED[ref]) || undefined;

/** The name of what `ref` stands for: an import, or a resource of the version (undefined if it declares none). */
export const nameOf = (ref: string | undefined, lookup: Lookup): string | undefined =>
  importedName(ref) ?? ((ref && lookup(ref)?.props.name) || undefined);
