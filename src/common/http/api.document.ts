import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * The Swagger UI's groups, in the order a user needs them: offer data, govern it, consume, the apps, delivery, the
 * data-space services, audit, operations; the protocol endpoints and the TRUE wing last.
 */
const TAGS: [string, string][] = [
  ['catalog', 'What this connector offers: catalogs, resources, representations, artifacts (their bytes) and contract offers'],
  ['usage control', 'Usage patterns, offers built from them, and the usage log of every decision'],
  ['consumer', 'This connector as consumer: describe a partner, negotiate, fetch, read what was received'],
  ['data apps', 'The in-process data apps: lifecycle, configuration, outputs, stored windows'],
  ['subscriptions', 'Results delivery at this provider: IDS, webhook and NGSI-LD subscriptions and their deliveries'],
  ['broker', 'Metadata Broker registration and queries'],
  ['clearing house', 'The clearing-house outbox'],
  ['audit', 'The local audit log of IDS messages'],
  ['operations', 'Health, metrics, the live page, the process'],
  ['IDS', 'The IDS endpoint partners call (a DAT instead of credentials)'],
  ['self-description', 'The public self-description'],
  ['TRUE Connector compatibility', 'TRUE Connector’s management, proxy, data-app gateway and usage-control paths'],
];

/** Routes TRUE serves with and without `/api` are served both ways but documented once, with `/api`. */
const UNDOCUMENTED_ALIASES = [/^\/selfRegistration\//];

const NO_PROBLEMS = ['IDS', 'self-description'];

const PROBLEM_RESPONSES: Record<string, string> = {
  '400': 'Bad input: `detail` says what is wrong, `field` names the field, `errors` lists every finding',
  '401': 'No or wrong admin credentials (HTTP Basic)',
  '404': 'No such element (or, with FEP_ADMIN_PORT, an admin route asked on the IDS port)',
  '500': 'An internal error: `correlationId` finds it in the log',
};

/** Tag order and descriptions, the aliases out, and the one error format (`application/problem+json`) on every admin operation. */
export function finishApiDocument(document: OpenAPIObject): OpenAPIObject {
  document.tags = TAGS.map(([name, description]) => ({ name, description }));
  for (const path of Object.keys(document.paths)) {
    if (UNDOCUMENTED_ALIASES.some((alias) => alias.test(path))) delete document.paths[path];
  }
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas['Problem'] = {
    type: 'object',
    description: 'RFC 9457 problem details; `statusCode`, `error` and `message` are kept for older clients',
    required: ['type', 'title', 'status', 'detail'],
    properties: {
      type: { type: 'string', example: 'urn:fep-connector:error:BAD_INPUT' },
      title: { type: 'string', example: 'Bad Request' },
      status: { type: 'integer', example: 400 },
      detail: { type: 'string', example: 'title must be a string' },
      instance: { type: 'string', example: '/api/resources' },
      field: { type: 'string', example: 'title' },
      errors: {
        type: 'array',
        items: { type: 'object', properties: { field: { type: 'string' }, reason: { type: 'string' } } },
      },
      correlationId: { type: 'string' },
      statusCode: { type: 'integer' },
      error: { type: 'string' },
      message: { type: 'string' },
    },
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of Object.values(item) as { tags?: string[]; responses?: Record<string, unknown> }[]) {
      if (typeof operation !== 'object' || operation.responses === undefined) continue;
      if (path.startsWith('/health') || (operation.tags ?? []).some((t) => NO_PROBLEMS.includes(t))) continue;
      for (const [status, description] of Object.entries(PROBLEM_RESPONSES)) {
        const declared = operation.responses[status] as { description?: string; content?: unknown } | undefined;
        operation.responses[status] = {
          description: declared?.description ?? description,
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        };
      }
    }
  }
  return document;
}
