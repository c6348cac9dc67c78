import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * The one error shape every admin route answers (Nest's, which the API contract fixes):
 * `{statusCode, message, error}` plus, on a 409, the `rule` that was broken and any details.
 */
const ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'message'],
  properties: {
    statusCode: { type: 'integer', example: 409 },
    message: {
      oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
      description: 'What is wrong and what to do; a 400 lists one message per field',
    },
    error: { type: 'string', example: 'Conflict' },
    rule: { type: 'string', description: '409 only: the rule the request would break, e.g. stock-non-negative' },
  },
  additionalProperties: true,
} as const;

const ANSWERS: Record<string, string> = {
  '400': 'Invalid input: unknown or malformed fields (nothing is written)',
  '401': 'Missing or wrong bearer token',
  '404': 'Not found',
  '409': 'A rule would be broken: the message says which and what to do (nothing is written)',
  '429': 'Too many requests to the admin API: retry later',
};

/** Documents the error shape once and refers every admin operation's error answers to it. */
export function withErrorResponses(doc: OpenAPIObject, apiPrefix: string): OpenAPIObject {
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, ErrorResponse: ERROR_SCHEMA as never } };
  const ref = { $ref: '#/components/schemas/ErrorResponse' };
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith(`/${apiPrefix}/`)) continue;
    for (const op of Object.values(item) as Array<{ responses?: Record<string, { description?: string; content?: unknown }> }>) {
      if (!op || typeof op !== 'object' || !op.responses) continue;
      for (const [status, description] of Object.entries(ANSWERS)) {
        const given = op.responses[status];
        op.responses[status] = { description: given?.description || description, content: { 'application/json': { schema: ref } } };
      }
    }
  }
  return doc;
}
