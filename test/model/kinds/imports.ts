/**
 * What someone else made before every history and versions import by name: a pool that sets send from
 * (`DedicatedIpPool.fromDedicatedIpPoolName`) and a verified domain that tests send from
 * (`EmailIdentity.fromEmailIdentityName`). A prop names each by a pseudo construct id, as it names a resource of the
 * same version by its construct id.
 */
import type { Lookup } from './kind';

/** Someone else's pool: it also holds leased dedicated IPs (dedicated-ip.ts). */
export const THEIR_POOL = 'their-pool';
export const IMPORTED_POOL = 'ImportedPool';

/** A verified domain of someone else: its addresses send tests, given as an address or as the imported identity. */
export const SENDER_DOMAIN = 'verified.example.com';
export const IMPORTED_IDENTITY = 'ImportedIdentity';

/** The name of the pool a set sends from: the imported one, or one its version declares. */
export const poolNameOf = (p: { pool?: string }, lookup: Lookup): string | undefined =>
  (p.pool === IMPORTED_POOL ? THEIR_POOL : p.pool && lookup(p.pool)?.props.name) || undefined;

/** The name of the identity a test sends from: the imported one, or one its version declares. */
export const identityNameOf = (p: { identity?: string }, lookup: Lookup): string | undefined =>
  (p.identity === IMPORTED_IDENTITY ? SENDER_DOMAIN : p.identity && lookup(p.identity)?.props.name) || undefined;
