import type { DeliverabilityTestReport, EmailContent } from '@aws-sdk/client-sesv2';
import { explainCreateFailure } from './deliverability-preconditions';
import { markerValue, parseMarker, ReportMarker, reportKey } from './report-marker';
import { arnOf, HandlerContext, Outcome, ResourceHandler } from './resource-handler';
import { DeliverabilityTestAttributes } from '../../src/private/contract';
import { asObject, checkSchemaVersion, InvalidProperties, isLenient, optionalString, RawProperties, requiredString, tagMap, UNREADABLE } from '../decode';
import { ResourceFailure, unlessDenied, unlessNotFound } from '../errors';
import { log } from '../log';
import { OWNER_TAG_KEY } from '../ownership';
import { reconcileTags, Tags, toTagList } from '../tags';

/** A simple message; at least one of `text` and `html`. */
export interface SimpleContent {
  readonly subject: string;
  readonly text?: string;
  readonly html?: string;
  readonly charset?: string;
}

/** An Amazon Pinpoint message template and its variables (a JSON object as text). */
export interface TemplateContent {
  readonly templateArn: string;
  readonly templateData?: string;
}

/** The message of a test: exactly one of `simple`, `raw` (the MIME text) and `template`. */
export type TestContent =
  | { readonly simple: SimpleContent; readonly raw?: undefined; readonly template?: undefined }
  | { readonly raw: string; readonly simple?: undefined; readonly template?: undefined }
  | { readonly template: TemplateContent; readonly simple?: undefined; readonly raw?: undefined };

/** Decoded `Custom::PinpointEmailDeliverabilityTest` properties. */
export interface DeliverabilityTest {
  readonly fromEmailAddress: string;
  readonly reportName?: string;
  readonly content: TestContent;
  readonly tags: Tags;
}

/**
 * The only status this resource reports (defect: it used to look as if it were read). A new test starts IN_PROGRESS and
 * completes after about 24 hours; CloudFormation replaces Data on every update, and reading the status again would
 * cost a call, so `DeliverabilityTestStatus` is the status at creation, always IN_PROGRESS.
 */
const STATUS_AT_CREATION = 'IN_PROGRESS';

/** A request issued this long before it runs may be a retry of one that already created its report. */
const RETRY_SUSPECT_AFTER_MS = 30_000;
/** A report created by an earlier attempt of a request is at most this much older than the request (clock skew). */
const CLOCK_SKEW_MS = 5 * 60_000;
/** The largest page ListDeliverabilityTestReports gives: one call per 1,000 reports in the account. */
const LIST_PAGE_SIZE = 1000;
/** Outcomes of requests this Lambda environment has answered, by RequestId: a repeated delivery gets the same answer. */
const ANSWERED = new Map<string, Outcome>();
const MAX_ANSWERED = 100;

export const deliverabilityTestHandler: ResourceHandler<DeliverabilityTest> = {
  label: 'Deliverability test',

  decode(raw: RawProperties): DeliverabilityTest {
    checkSchemaVersion(raw);
    return {
      fromEmailAddress: requiredString(raw, 'FromEmailAddress'),
      reportName: optionalString(raw, 'ReportName'),
      content: isLenient() ? contentOrUnreadable(raw.Content) : decodeContent(raw.Content),
      tags: tagMap(raw),
    };
  },

  describe: (props) => props.reportName !== undefined
    ? `Deliverability test "${props.reportName}" from ${props.fromEmailAddress}`
    : `Deliverability test from ${props.fromEmailAddress}`,

  create: (ctx, props) => createOnce(ctx, props, undefined),

  /**
   * A report is immutable: a new sender, name or message is a new report (CloudFormation then deletes the old id),
   * unless this is the rollback of the replacement that created the current report: then the report it replaced is
   * returned. Old properties that could not be read (decodeLeniently) are compared through the report's own marker.
   */
  async update(ctx, physicalId, props, oldProps) {
    const marker = sameReport(props, oldProps) ? undefined : await markerOf(ctx, physicalId);
    // The report may already be this resource's report of the wanted content: the rollback of an update whose answer
    // never reached CloudFormation comes back to the old id with the old properties (a new report would be paid for).
    const same = sameReport(props, oldProps)
      || ((isUnreadable(oldProps) || marker?.owner === ctx.owner) && marker?.key === reportKey(identityOf(props)));
    if (same) {
      await reconcileTags(ctx.api, arn(ctx, physicalId), isUnreadable(oldProps) ? {} : oldProps.tags, props.tags);
      return outcome(ctx, physicalId);
    }
    const replaced = marker?.owner === ctx.owner ? await replacedReportToRestore(ctx, marker, props) : undefined;
    if (replaced) {
      log('the rollback of a replacement: returning the report it replaced', { physicalId: replaced });
      return outcome(ctx, replaced);
    }
    return createOnce(ctx, props, isUnreadable(oldProps) ? undefined : { reportId: physicalId, key: reportKey(identityOf(oldProps)) });
  },

  // Report ids are generated by the service, so any id but the create-failed markers (which the entry point handles
  // before asking) may be one of ours.
  owns: (physicalId) => physicalId !== '',

  /**
   * No API deletes a report: it stays in the account. The Delete removes its ownership marker when it is this
   * resource's (one read, then one UntagResource), so that the report is no longer this resource's: a later update
   * back to its content makes a new report instead of taking this one back. Any other report is only read.
   */
  async delete(ctx, physicalId) {
    log('deliverability test report kept: no API deletes a report', { physicalId });
    if ((await markerOf(ctx, physicalId))?.owner !== ctx.owner) return;
    await unlessNotFound(ctx.api.call('UntagResource', { ResourceArn: arn(ctx, physicalId), TagKeys: [OWNER_TAG_KEY] }));
  },
};

/**
 * The report of `props`, created with one CreateDeliverabilityTestReport on the happy path. A request already answered
 * in this Lambda environment gets the same answer; a request that runs long after CloudFormation issued it may be a
 * retry of an attempt that created its report and died, so it looks for that report first (findReportOfRequest).
 * When the create fails, the dashboard and the sender are read to say why.
 */
async function createOnce(ctx: HandlerContext, props: DeliverabilityTest, replaces: ReportMarker['replaces']): Promise<Outcome> {
  const answered = ANSWERED.get(ctx.requestId);
  if (answered) return answered;
  const earlier = mayBeRetried(ctx) ? await findReportOfRequest(ctx, props) : undefined;
  if (earlier) {
    log('reusing the report an earlier attempt of this request created (ownership tag matches)', { physicalId: earlier });
    return remember(ctx, outcome(ctx, earlier));
  }
  const marker = markerValue({ owner: ctx.owner, request: ctx.requestId, key: reportKey(identityOf(props)), replaces });
  let created;
  try {
    created = await ctx.api.call('CreateDeliverabilityTestReport', {
      ReportName: props.reportName,
      FromEmailAddress: props.fromEmailAddress,
      Content: emailContent(props.content),
      Tags: toTagList({ ...props.tags, [OWNER_TAG_KEY]: marker }),
    });
  } catch (error) {
    return explainCreateFailure(ctx, props.fromEmailAddress, error);
  }
  if (!created.ReportId) throw new ResourceFailure('CreateDeliverabilityTestReport answered without a ReportId');
  return remember(ctx, outcome(ctx, created.ReportId));
}

function remember(ctx: HandlerContext, answer: Outcome): Outcome {
  if (ANSWERED.size >= MAX_ANSWERED) ANSWERED.delete(ANSWERED.keys().next().value!);
  ANSWERED.set(ctx.requestId, answer);
  return answer;
}

function mayBeRetried(ctx: HandlerContext): boolean {
  return ctx.requestIssuedAt === undefined || Date.now() - ctx.requestIssuedAt > RETRY_SUSPECT_AFTER_MS;
}

/**
 * The report that an earlier attempt of this very request created: ListDeliverabilityTestReports (every page), then
 * one ListTagsForResource per report of the same sender, name and subject created since the request was issued
 * (normally none), whose marker must name this resource and this RequestId.
 */
async function findReportOfRequest(ctx: HandlerContext, props: DeliverabilityTest): Promise<string | undefined> {
  const subject = subjectOf(props.content);
  const since = (ctx.requestIssuedAt ?? 0) - CLOCK_SKEW_MS;
  const candidates: DeliverabilityTestReport[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ctx.api.call('ListDeliverabilityTestReports', { NextToken: nextToken, PageSize: LIST_PAGE_SIZE });
    candidates.push(...(page.DeliverabilityTestReports ?? []).filter((report) =>
      report.ReportId !== undefined
      && report.FromEmailAddress === props.fromEmailAddress
      && (report.ReportName ?? undefined) === props.reportName
      // A template's subject is the template's, unknown here: any subject matches.
      && (props.content.template !== undefined || (report.Subject ?? undefined) === subject)
      && report.CreateDate !== undefined && report.CreateDate.getTime() >= since));
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  for (const report of candidates) {
    const marker = await markerOf(ctx, report.ReportId!);
    if (marker?.owner === ctx.owner && marker.request === ctx.requestId) return report.ReportId;
  }
  return undefined;
}

/**
 * The report to return in the rollback of a replacement: the one `marker` (the current report's) says it replaced,
 * when `props` describe it (same content key) and it is still this resource's (its marker was not removed by a
 * Delete, which would mean the replacement completed and this is a new update back to the old content).
 */
async function replacedReportToRestore(ctx: HandlerContext, marker: ReportMarker, props: DeliverabilityTest): Promise<string | undefined> {
  const replaced = marker.replaces;
  if (!replaced || replaced.key !== reportKey(identityOf(props))) return undefined;
  return (await markerOf(ctx, replaced.reportId))?.owner === ctx.owner ? replaced.reportId : undefined;
}

/**
 * The report's marker (one ListTagsForResource); undefined when it has none or no longer exists, or when IAM denies the
 * read: the handler may read only reports that carry this stack's ownership tag (a report that vanished has none).
 */
async function markerOf(ctx: HandlerContext, reportId: string): Promise<ReportMarker | undefined> {
  const listed = await unlessNotFound(unlessDenied(ctx.probe.call('ListTagsForResource', { ResourceArn: arn(ctx, reportId) })));
  return parseMarker(listed?.Tags?.find((tag) => tag.Key === OWNER_TAG_KEY)?.Value);
}

/** What makes a report what it is: everything but the tags, fixed at creation. */
function identityOf(props: DeliverabilityTest): unknown {
  // A template is appended only when there is one, so that the keys of reports made before templates stay the same.
  const template = props.content.template ? [props.content.template] : [];
  return [props.fromEmailAddress, props.reportName ?? null, props.content.raw ?? null, props.content.simple ?? null, ...template];
}

function isUnreadable(props: DeliverabilityTest): boolean {
  return props.content.raw === UNREADABLE || props.fromEmailAddress === UNREADABLE || props.reportName === UNREADABLE;
}

/** The subject a report lists: the simple content's, or the first Subject header of a raw message (a template's is not known here). */
function subjectOf(content: TestContent): string | undefined {
  if (content.simple) return content.simple.subject;
  if (content.template) return undefined;
  const headers = content.raw.split(/\r?\n\r?\n/)[0];
  return /^Subject:[ \t]*(.*)$/im.exec(headers)?.[1]?.trim();
}

/** Old content that cannot be read stands as an UNREADABLE raw message, which is no report's content. */
function contentOrUnreadable(value: unknown): TestContent {
  try {
    return decodeContent(value);
  } catch {
    return { raw: UNREADABLE };
  }
}

function decodeContent(value: unknown): TestContent {
  const content = asObject(value, 'property Content');
  const simple = content.Simple;
  const raw = content.Raw;
  const template = content.Template;
  if ([simple, raw, template].filter((kind) => kind !== undefined).length !== 1) {
    throw new InvalidProperties('property Content must have exactly one of Simple, Raw and Template');
  }
  if (template !== undefined) {
    const fields = asObject(template, 'property Content.Template');
    return { template: { templateArn: requiredString(fields, 'TemplateArn'), templateData: optionalString(fields, 'TemplateData') } };
  }
  if (raw !== undefined) {
    if (typeof raw !== 'string' || raw === '') throw new InvalidProperties('property Content.Raw must be a non-empty string');
    return { raw };
  }
  const message = asObject(simple, 'property Content.Simple');
  const decoded: SimpleContent = {
    subject: requiredString(message, 'Subject'),
    text: optionalString(message, 'Text') || undefined,
    html: optionalString(message, 'Html') || undefined,
    charset: optionalString(message, 'Charset') || undefined,
  };
  if (decoded.text === undefined && decoded.html === undefined) {
    throw new InvalidProperties('property Content.Simple must have Text, Html or both');
  }
  return { simple: decoded };
}

/** The API's content. Raw data goes as bytes: the SDK encodes the blob in base64, as the API requires. */
function emailContent(content: TestContent): EmailContent {
  if (content.raw !== undefined) return { Raw: { Data: new Uint8Array(Buffer.from(content.raw, 'utf8')) } };
  if (content.template !== undefined) return { Template: { TemplateArn: content.template.templateArn, TemplateData: content.template.templateData } };
  const { subject, text, html, charset } = content.simple;
  const part = (data: string | undefined) => (data === undefined ? undefined : { Data: data, Charset: charset });
  return { Simple: { Subject: part(subject), Body: { Text: part(text), Html: part(html) } } };
}

/** Whether two versions describe the same report: everything but the tags is fixed at creation. */
function sameReport(a: DeliverabilityTest, b: DeliverabilityTest): boolean {
  return a.fromEmailAddress === b.fromEmailAddress
    && a.reportName === b.reportName
    && a.content.raw === b.content.raw
    && a.content.template?.templateArn === b.content.template?.templateArn
    && a.content.template?.templateData === b.content.template?.templateData
    && a.content.simple?.subject === b.content.simple?.subject
    && a.content.simple?.text === b.content.simple?.text
    && a.content.simple?.html === b.content.simple?.html
    && a.content.simple?.charset === b.content.simple?.charset;
}

function arn(ctx: HandlerContext, reportId: string): string {
  return arnOf(ctx.environment, 'deliverability-test-report', reportId);
}

function outcome(ctx: HandlerContext, reportId: string): Outcome {
  return {
    physicalResourceId: reportId,
    data: {
      [DeliverabilityTestAttributes.REPORT_ID]: reportId,
      [DeliverabilityTestAttributes.ARN]: arn(ctx, reportId),
      [DeliverabilityTestAttributes.STATUS]: STATUS_AT_CREATION,
    },
  };
}
