/**
 * Data-app output values -> NGSI-LD entities (ETSI GS CIM 009 V1.8.1, 4.5: Entity, Property with `observedAt`),
 * normalised form, for a batch upsert. Pure. Types are FIWARE Smart Data Models where one fits, within what their
 * published schemas allow (ngsi-ld.mapper.spec checks each entity against them):
 * - occupancy per zone: `CrowdFlowObserved` (dataModel.Transportation) with `peopleCount` (an integer >= 0) and the
 *   `dateObserved` its schema requires;
 * - a pump's condition: `Pump` (dataModel.S4BLDG, SAREF4BLDG's s4bldg:Pump) with our vibration attributes (the
 *   model has none for condition; it does not forbid others);
 * - a maintenance event: `Alert` (dataModel.Alert) with `severity` from its enumeration, `dateIssued`, `alertSource`,
 *   `description`, and our kind, channels and evidence under its `data`. No `category` nor `subCategory`: both are
 *   closed enumerations (traffic, naturalDisaster, weather, environment, health, security, agriculture; trafficJam to
 *   fertilisation) with nothing for a machine's condition, and neither is required, so they are left out rather than
 *   filled with a value the model does not define.
 * Dates are typed values ({"@type": "DateTime", "@value": ...}, ETSI GS CIM 009 V1.8.1, 4.6.3), so a broker stores
 * and queries them as times, not text. Entity ids are URNs `urn:ngsi-ld:<Type>:<node>:<key>`, stable per zone, pump
 * and event, with the node's name in colon-separated segments (no percent-encoded slash, which brokers and proxies
 * decode in paths).
 */
import type { JsonValue } from '../../common/json.js';

export interface NgsiProperty {
  type: 'Property';
  value: JsonValue;
  observedAt?: string;
  unitCode?: string;
}
export interface NgsiRelationship {
  type: 'Relationship';
  object: string;
}
export interface NgsiEntity {
  id: string;
  type: string;
  [attribute: string]: string | NgsiProperty | NgsiRelationship;
}

export interface OutputValue {
  app: string;
  output: string;
  key: string | null;
  at: string;
  value: JsonValue;
}

type Json = Record<string, JsonValue>;

const isObject = (v: JsonValue | undefined): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: JsonValue | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A URN segment: what RFC 8141 allows in an NSS (but "/", kept out of ids), everything else percent-encoded. */
export function urnPart(s: string): string {
  return s.replace(/[^A-Za-z0-9()+,\-.:=@;$_!*']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** An NGSI-LD DateTime value (ETSI GS CIM 009 V1.8.1, 4.6.3). */
function dateTime(iso: string): JsonValue {
  return { '@type': 'DateTime', '@value': iso };
}

function property(value: JsonValue, observedAt?: string, unitCode?: string): NgsiProperty {
  return { type: 'Property', value, ...(observedAt === undefined ? {} : { observedAt }), ...(unitCode === undefined ? {} : { unitCode }) };
}

/**
 * A value without JSON nulls (members and items that are null left out): null is not an NGSI-LD value (ETSI GS CIM
 * 009 V1.8.1, 4.5.2), and a broker refuses the whole entity for one (Orion-LD: 400).
 */
function withoutNulls(value: JsonValue): JsonValue | undefined {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map(withoutNulls).filter((v): v is JsonValue => v !== undefined);
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .map(([k, v]) => [k, withoutNulls(v)] as const)
        .filter((e): e is readonly [string, JsonValue] => e[1] !== undefined),
    );
  }
  return value;
}

/** The entity with every attribute whose value is null (or undefined) left out, and nulls inside values too. */
function complete(entity: Record<string, string | NgsiProperty | NgsiRelationship | undefined>): NgsiEntity {
  const out: NgsiEntity = { id: entity['id'] as string, type: entity['type'] as string };
  for (const [name, attribute] of Object.entries(entity)) {
    if (name === 'id' || name === 'type' || attribute === undefined || typeof attribute === 'string') continue;
    if (attribute.type === 'Property') {
      const value = withoutNulls(attribute.value);
      if (value === undefined) continue;
      out[name] = { ...attribute, value };
    } else {
      out[name] = attribute;
    }
  }
  return out;
}

/** ISO 10816-3 zones -> Alert severity levels of dataModel.Alert (informational, low, medium, high, critical). */
const SEVERITY: Record<string, string> = { info: 'informational', warning: 'medium', alarm: 'high', critical: 'critical' };

function occupancy(node: string, v: Json, at: string): NgsiEntity[] {
  const camera = str(v['camera']);
  const zone = str(v['zone']);
  const count = num(v['count']);
  if (camera === undefined || zone === undefined || count === undefined) return [];
  const observed = str(v['at']) ?? at;
  return [
    {
      id: `urn:ngsi-ld:CrowdFlowObserved:${urnPart(node)}:${urnPart(camera)}:${urnPart(zone)}`,
      type: 'CrowdFlowObserved',
      name: property(`${camera}/${zone}`),
      peopleCount: property(count, observed),
      dateObserved: property(dateTime(observed)),
      source: property('fep-connector occupancy app (camera people count; no frame leaves the node)'),
    },
  ];
}

function pump(node: string, v: Json, at: string): NgsiEntity[] {
  const asset = str(v['asset']);
  if (asset === undefined) return [];
  const observed = str(v['at']) ?? at;
  const channels = isObject(v['channels']) ? v['channels'] : {};
  const states = Object.values(channels).filter(isObject);
  const healths = states.map((c) => num(c['health'])).filter((h): h is number => h !== undefined);
  const vRms = states.map((c) => num(c['vRms'])).filter((x): x is number => x !== undefined);
  const predictions = states
    .map((c) => c['prediction'])
    .filter(isObject)
    .map((p) => ({ at: str(p['at']), inHours: num(p['inHours']), boundary: str(p['boundary']) }))
    .filter((p) => p.at !== undefined && p.inHours !== undefined)
    .sort((a, b) => a.inHours! - b.inHours!);
  const entity: NgsiEntity = {
    id: `urn:ngsi-ld:Pump:${urnPart(node)}:${urnPart(asset)}`,
    type: 'Pump',
    name: property(str(v['title']) ?? asset),
    vibrationZone: property(str(v['zone']) ?? null, observed),
    dateObserved: property(dateTime(observed)),
  };
  if (healths.length > 0) entity['healthIndex'] = property(Math.min(...healths), observed);
  if (vRms.length > 0) entity['velocityRms'] = property(Math.max(...vRms), observed, '2M'); // UN/CEFACT 2M: mm/s
  const first = predictions[0];
  if (first !== undefined) {
    entity['predictedThresholdTime'] = property(dateTime(first.at!), observed);
    entity['predictedThresholdHours'] = property(first.inHours!, observed, 'HUR');
    entity['predictedThresholdZone'] = property(first.boundary ?? null, observed);
  }
  entity['indicators'] = property(
    Object.fromEntries(
      Object.entries(channels)
        .filter(([, c]) => isObject(c))
        .map(([id, c]) => [id, (c as Json)['indicators'] ?? null]),
    ),
    observed,
  );
  return [entity];
}

function maintenanceEvent(node: string, v: Json, at: string): NgsiEntity[] {
  const id = str(v['id']);
  const asset = str(v['asset']);
  const kind = str(v['kind']);
  if (id === undefined || asset === undefined || kind === undefined) return [];
  const issued = str(v['at']) ?? at;
  return [
    {
      id: `urn:ngsi-ld:Alert:${urnPart(node)}:${urnPart(id.replace(/^urn:uuid:/, ''))}`,
      type: 'Alert',
      severity: property(SEVERITY[str(v['severity']) ?? ''] ?? 'medium'),
      description: property(str(v['message']) ?? kind),
      dateIssued: property(dateTime(issued)),
      alertSource: property(`urn:ngsi-ld:Pump:${urnPart(node)}:${urnPart(asset)}`),
      data: property({ kind, channels: v['channels'] ?? null, evidence: v['evidence'] ?? null }, issued),
      refPump: { type: 'Relationship', object: `urn:ngsi-ld:Pump:${urnPart(node)}:${urnPart(asset)}` },
    },
  ];
}

/** The entities one output value becomes (none for outputs without a mapping, such as the occupancy series). */
export function entitiesOf(node: string, change: OutputValue): NgsiEntity[] {
  if (!isObject(change.value)) return [];
  let entities: NgsiEntity[] = [];
  if (change.app === 'occupancy' && change.output === 'occupancy') entities = occupancy(node, change.value, change.at);
  if (change.app === 'vibration' && change.output === 'condition') entities = pump(node, change.value, change.at);
  if (change.app === 'vibration' && change.output === 'events') entities = maintenanceEvent(node, change.value, change.at);
  return entities.map(complete);
}

/** Which outputs are published to the broker (the README lists them). */
export const NGSI_OUTPUTS = ['occupancy/occupancy', 'vibration/condition', 'vibration/events'];
