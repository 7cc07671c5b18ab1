/**
 * The subscription object, as the Dataspace Connector v6+ sends it in an ids:RequestMessage's payload and takes it
 * on its API (`title`, `description`, `target`, `location`, `subscriber`, `pushData`; DSC docs, "Subscription").
 * Pure: every problem names its field.
 */
import { ConnectorError } from '../common/connector.error.js';

export interface SubscriptionRequest {
  title: string | null;
  description: string | null;
  target: string;
  location: string;
  subscriber: string | null;
  pushData: boolean;
}

const IRI = /^[a-zA-Z][a-zA-Z0-9+.-]*:\S{1,2040}$/;

function iriField(o: Record<string, unknown>, field: string, required: true): string;
function iriField(o: Record<string, unknown>, field: string, required: false): string | null;
function iriField(o: Record<string, unknown>, field: string, required: boolean): string | null {
  const value = o[field];
  if (value === undefined || value === null) {
    if (required) throw ConnectorError.badInput(field, 'is required');
    return null;
  }
  if (typeof value !== 'string' || !IRI.test(value)) throw ConnectorError.badInput(field, 'must be an IRI (URI)');
  return value;
}

function textField(o: Record<string, unknown>, field: string): string | null {
  const value = o[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > 2000) throw ConnectorError.badInput(field, 'must be a string of at most 2000 characters');
  return value;
}

/** An http(s) URL a notification can be POSTed to. */
export function httpLocation(field: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw ConnectorError.badInput(field, `is not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw ConnectorError.badInput(field, 'must be an http or https URL');
  return value;
}

export function parseSubscription(raw: unknown): SubscriptionRequest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw ConnectorError.badInput('subscription', 'must be a JSON object with target and location');
  }
  const o = raw as Record<string, unknown>;
  const known = ['title', 'description', 'target', 'location', 'subscriber', 'pushData', '@context', '@type', '@id'];
  const unknown = Object.keys(o).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw ConnectorError.badInput(unknown[0], 'is not a subscription field');
  const pushData = o['pushData'] ?? false;
  if (typeof pushData !== 'boolean') throw ConnectorError.badInput('pushData', 'must be true or false');
  return {
    title: textField(o, 'title'),
    description: textField(o, 'description'),
    target: iriField(o, 'target', true),
    location: httpLocation('location', iriField(o, 'location', true)),
    subscriber: iriField(o, 'subscriber', false),
    pushData,
  };
}
