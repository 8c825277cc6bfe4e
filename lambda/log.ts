/**
 * Structured, one-line JSON logs. Callers pass only the fields named below: never the event, its ResponseURL,
 * property values or credentials.
 */
export interface LogFields {
  readonly requestType?: string;
  readonly resourceType?: string;
  readonly logicalId?: string;
  readonly physicalId?: string;
  readonly operation?: string;
  readonly outcome?: string;
  readonly attempts?: number;
  readonly ms?: number;
  readonly delayMs?: number;
  readonly status?: string;
  readonly reason?: string;
  readonly responseBytes?: number;
}

export function log(message: string, fields: LogFields = {}): void {
  console.log(JSON.stringify({ message, ...fields }));
}
