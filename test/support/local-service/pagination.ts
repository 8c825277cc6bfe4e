// Pagination: PageSize and opaque NextToken values, each bound to one operation, account and region.
import { randomBytes } from 'crypto';
import { badRequest } from './errors';

export const DEFAULT_PAGE_SIZE = 100; // [unverified] AWS does not document the default
export const MAX_PAGE_SIZE = 1000; // "at least 0, and can be no more than 1000" (model documentation)

interface Issued { scope: string; afterKey: string }

/**
 * Items are listed in ascending key order and a token remembers the last key returned, so a resource created or deleted
 * between two pages neither repeats nor shifts the rest. Tokens are random strings; one that this service did not issue for
 * the same operation, account and region is a 400 BadRequestException. PageSize 0 is read as "the default".
 */
export class Paginator {
  private readonly tokens = new Map<string, Issued>();

  /** One page of `items` (key, value) for a request with this PageSize and NextToken. */
  page<T>(scope: string, items: Iterable<[string, T]>, pageSize?: number, nextToken?: string): { items: T[]; nextToken?: string } {
    if (pageSize !== undefined && (pageSize < 0 || pageSize > MAX_PAGE_SIZE)) {
      throw badRequest(`PageSize must be between 0 and ${MAX_PAGE_SIZE} (got ${pageSize}).`);
    }
    let afterKey: string | undefined;
    if (nextToken !== undefined) {
      const issued = this.tokens.get(nextToken);
      if (!issued || issued.scope !== scope) throw badRequest(`Invalid NextToken ${JSON.stringify(nextToken)}.`);
      afterKey = issued.afterKey;
    }
    const size = pageSize || DEFAULT_PAGE_SIZE;
    const sorted = [...items].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).filter(([k]) => afterKey === undefined || k > afterKey);
    const pageItems = sorted.slice(0, size);
    if (sorted.length <= size) return { items: pageItems.map(([, v]) => v) };
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { scope, afterKey: pageItems[pageItems.length - 1][0] });
    return { items: pageItems.map(([, v]) => v), nextToken: token };
  }

  clear(): void {
    this.tokens.clear();
  }
}
