/**
 * The ownership tag of a deliverability test report, which says more than a plain marker: which request created the
 * report (so that a retried create finds it), and which report it replaced, with that report's content key (so that the
 * rollback of the replacement returns the report it replaced, whatever its age). Reports cannot be renamed or deleted,
 * so the tag is the only place to keep this; its value stays within a tag value's 256 characters and allowed
 * characters (letters, digits, spaces and `_ . : / = + - @`).
 *
 *   `<owner>` ` request=<CloudFormation RequestId>` ` key=<content key>` [` replaces=<report id>` ` replacedkey=<content key>`]
 *
 * `<owner>` is the resource's ownership marker (lambda/ownership.ts), so the handler's policy condition on the
 * marker's prefix still matches. A report's marker is removed by the Delete that CloudFormation sends when the report
 * leaves the stack (or is replaced and the update completed): a report without it is no longer the resource's own.
 */
import { createHash } from 'crypto';

export interface ReportMarker {
  /** The ownership marker of the custom resource that created the report. */
  readonly owner: string;
  /** The CloudFormation RequestId of the create (or replacing update) that created it. */
  readonly request?: string;
  /** The content key of the report itself (reportKey). */
  readonly key?: string;
  /** The report this one replaced, and its content key. */
  readonly replaces?: { readonly reportId: string; readonly key: string };
}

/** The longest tag value the API accepts. */
const MAX_TAG_VALUE = 256;
const KEY_LENGTH = 16;
/** Characters a report id or request id must have to be written into the marker (no separator). */
const FIELD = /^[A-Za-z0-9_.:/+\-@]+$/;

/** A short hash of what makes a report what it is (sender, name, content), in the marker's characters. */
export function reportKey(identity: unknown): string {
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, KEY_LENGTH);
}

/** The tag value of `marker`; the replaced report is left out when it would not fit (its rollback then makes a new report). */
export function markerValue(marker: ReportMarker): string {
  const fields = [marker.owner];
  if (marker.request !== undefined && FIELD.test(marker.request)) fields.push(`request=${marker.request}`);
  if (marker.key !== undefined) fields.push(`key=${marker.key}`);
  const base = fields.join(' ');
  const replaces = marker.replaces && FIELD.test(marker.replaces.reportId)
    ? ` replaces=${marker.replaces.reportId} replacedkey=${marker.replaces.key}`
    : '';
  return base.length + replaces.length <= MAX_TAG_VALUE ? base + replaces : base;
}

/** The marker in a tag value, or undefined when the value is not one. */
export function parseMarker(value: string | undefined): ReportMarker | undefined {
  if (!value) return undefined;
  const [owner, ...rest] = value.split(' ');
  const fields = new Map(rest.map((field) => {
    const at = field.indexOf('=');
    return [field.slice(0, at), field.slice(at + 1)] as [string, string];
  }));
  const replaced = fields.get('replaces');
  const replacedKey = fields.get('replacedkey');
  return {
    owner,
    request: fields.get('request'),
    key: fields.get('key'),
    replaces: replaced && replacedKey ? { reportId: replaced, key: replacedKey } : undefined,
  };
}
