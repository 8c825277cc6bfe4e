import { Token } from 'aws-cdk-lib';
import { DeliverabilityTestContentProperty } from './private/contract';

/** A simple message for a deliverability test: a subject and a text body, an HTML body or both. */
export interface SimpleTestContentOptions {
  /**
   * The subject line. Non-ASCII characters need `charset`, or encoded-word syntax (RFC 2047).
   */
  readonly subject: string;

  /**
   * The text body, shown by email clients that don't render HTML.
   * @default - no text body (then `html` is required)
   */
  readonly text?: string;

  /**
   * The HTML body.
   * @default - no HTML body (then `text` is required)
   */
  readonly html?: string;

  /**
   * The character set of the subject and bodies, for example `UTF-8`, `ISO-8859-1` or `Shift_JIS`.
   * Required when any of them has characters outside 7-bit ASCII.
   * @default - none: Amazon Pinpoint uses 7-bit ASCII
   */
  readonly charset?: string;
}

/** Longest line a raw message may have, in characters, without the line break (RFC 5321, as the API documents). */
const MAX_RAW_LINE_LENGTH = 1000;

const NON_ASCII = /[^\x00-\x7F]/;
// RFC 5322: a field name is printable ASCII other than ":", followed by ":"; a folded line starts with white space.
const HEADER_FIELD = /^[\x21-\x39\x3B-\x7E]+:/;
const FOLDED_LINE = /^[ \t]/;

/**
 * The message that a deliverability test sends to the mailbox providers' seed addresses: `TestContent.simple(...)`,
 * `TestContent.raw(...)` or `TestContent.template(...)`. It is checked at synth time.
 */
export abstract class TestContent {
  /**
   * A message of a subject and a text body, an HTML body or both; Amazon Pinpoint builds the MIME message.
   */
  public static simple(options: SimpleTestContentOptions): TestContent {
    return new SimpleTestContent(options);
  }

  /**
   * A complete MIME message: header fields, one blank line, then the body; no line longer than 1,000 characters.
   * Pass the text itself: the handler encodes it in base64 for the API.
   */
  public static raw(mimeMessage: string): TestContent {
    return new RawTestContent(mimeMessage);
  }

  /**
   * An Amazon Pinpoint message template (an email template, `arn:<partition>:mobiletargeting:<region>:<account>:templates/<name>/EMAIL`)
   * and the values of its variables, as a JSON object in text (`'{"name": "Ana"}'`), at most 262,144 characters.
   *
   * Amazon Pinpoint message templates belong to Amazon Pinpoint, whose end of support is 2026-10-30: after that date
   * the templates, and tests that use them, may stop working. Prefer `simple` or `raw` for tests meant to last.
   */
  public static template(templateArn: string, templateData?: string): TestContent {
    return new TemplateTestContent(templateArn, templateData);
  }

  /**
   * The content as the custom resource's `Content` property.
   * @internal
   */
  public abstract _render(): DeliverabilityTestContentProperty;

  /**
   * Synth-time problems, each starting with `prop`.
   * @internal
   */
  public abstract _problems(prop: string): string[];
}

class SimpleTestContent extends TestContent {
  constructor(private readonly options: SimpleTestContentOptions) {
    super();
  }

  public _render(): DeliverabilityTestContentProperty {
    const { subject, text, html, charset } = this.options;
    return { Simple: { Subject: subject, Text: text || undefined, Html: html || undefined, Charset: charset } };
  }

  public _problems(prop: string): string[] {
    const { subject, text, html, charset } = this.options;
    const problems: string[] = [];
    if (!subject || (!Token.isUnresolved(subject) && subject.trim() === '')) {
      problems.push(`${prop}: TestContent.simple needs a subject`);
    }
    if (!text && !html) {
      problems.push(`${prop}: TestContent.simple needs text, html or both`);
    }
    if (charset === undefined) {
      const nonAscii = Object.entries({ subject, text, html })
        .filter(([, value]) => value !== undefined && !Token.isUnresolved(value) && NON_ASCII.test(value))
        .map(([name]) => name);
      if (nonAscii.length > 0) {
        problems.push(`${prop}: TestContent.simple has characters outside 7-bit ASCII in ${nonAscii.join(', ')}; set charset (for example "UTF-8")`);
      }
    }
    return problems;
  }
}

class RawTestContent extends TestContent {
  constructor(private readonly mimeMessage: string) {
    super();
  }

  public _render(): DeliverabilityTestContentProperty {
    return { Raw: this.mimeMessage };
  }

  public _problems(prop: string): string[] {
    return rawMessageProblems(this.mimeMessage).map((problem) => `${prop}: TestContent.raw ${problem}`);
  }
}

/** The model's limit of `Template.TemplateData`. */
const MAX_TEMPLATE_DATA_LENGTH = 262_144;
/** An Amazon Pinpoint email template: `arn:<partition>:mobiletargeting:<region>:<account>:templates/<name>/EMAIL`. */
const TEMPLATE_ARN = /^arn:aws[a-z-]*:mobiletargeting:[a-z0-9-]+:\d{12}:templates\/[A-Za-z0-9_-]{1,128}\/EMAIL$/;

class TemplateTestContent extends TestContent {
  constructor(private readonly templateArn: string, private readonly templateData?: string) {
    super();
  }

  public _render(): DeliverabilityTestContentProperty {
    return { Template: { TemplateArn: this.templateArn, TemplateData: this.templateData } };
  }

  public _problems(prop: string): string[] {
    const problems: string[] = [];
    if (!Token.isUnresolved(this.templateArn) && !TEMPLATE_ARN.test(this.templateArn)) {
      problems.push(`${prop}: TestContent.template templateArn "${this.templateArn}" is not the ARN of an Amazon Pinpoint email template ` +
        '(arn:<partition>:mobiletargeting:<region>:<account>:templates/<name>/EMAIL)');
    }
    const data = this.templateData;
    if (data !== undefined && !Token.isUnresolved(data)) {
      if (data.length > MAX_TEMPLATE_DATA_LENGTH) {
        problems.push(`${prop}: TestContent.template templateData has ${data.length} characters; at most ${MAX_TEMPLATE_DATA_LENGTH}`);
      } else if (!isJsonObject(data)) {
        problems.push(`${prop}: TestContent.template templateData must be a JSON object of the template's variables, for example '{"name": "Ana"}'`);
      }
    }
    return problems;
  }
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * What is wrong with a MIME message, by the API's documented rules: header fields and a body separated by one blank
 * line, and no line over 1,000 characters. Empty for a message that contains a token (its text is not known yet).
 */
function rawMessageProblems(message: string): string[] {
  if (Token.isUnresolved(message)) return [];
  if (message.trim() === '') return ['message is empty'];
  // Lines end with CRLF (RFC 5322) or LF; a lone CR ends no line, so a message separated by CRs alone has no blank line.
  const lines = message.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop(); // the break that ends the last line does not start a new one
  const problems: string[] = [];

  const blank = lines.findIndex((line) => line === '');
  if (blank === -1) {
    problems.push('message has no blank line: it needs header fields, one blank line, then the body');
  } else if (blank === 0) {
    problems.push('message starts with a blank line: it needs header fields before the blank line that precedes the body');
  } else {
    const badHeader = lines.slice(0, blank).findIndex((line, i) => !(HEADER_FIELD.test(line) || (i > 0 && FOLDED_LINE.test(line))));
    if (badHeader !== -1) {
      problems.push(`message line ${badHeader + 1} is not a header field ("Name: value"); header fields come first, then one blank line, then the body`);
    }
    if (lines.slice(blank + 1).every((line) => line.trim() === '')) {
      problems.push('message has no body after the blank line that ends the header fields');
    }
  }

  const longLines = lines
    .map((line, i) => ({ number: i + 1, length: [...line].length }))
    .filter((line) => line.length > MAX_RAW_LINE_LENGTH);
  if (longLines.length > 0) {
    const first = longLines[0];
    const more = longLines.length > 1 ? ` (and ${longLines.length - 1} more)` : '';
    problems.push(`message line ${first.number} has ${first.length} characters${more}; no line can exceed ` +
      `${MAX_RAW_LINE_LENGTH} characters (RFC 5321): wrap long lines or use quoted-printable or base64 transfer encoding`);
  }
  return problems;
}
