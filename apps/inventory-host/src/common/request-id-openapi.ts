import type { OpenAPIObject } from '@nestjs/swagger';
import { REQUEST_ID_HEADER } from '../logging/request-logger';

const DESCRIPTION = 'Request id: the caller\'s X-Request-Id (up to 128 letters, digits and ._:@/+=-) or a generated UUID; every log line of the request carries it as reqId';

/** Documents X-Request-Id once: accepted on every operation, answered on every response. */
export function withRequestIdHeader(doc: OpenAPIObject): OpenAPIObject {
  doc.components = {
    ...doc.components,
    parameters: { ...doc.components?.parameters, RequestId: { name: REQUEST_ID_HEADER, in: 'header', required: false, schema: { type: 'string', maxLength: 128 }, description: DESCRIPTION } },
    headers: { ...doc.components?.headers, RequestId: { schema: { type: 'string' }, description: DESCRIPTION } },
  };
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item) as Array<{ parameters?: unknown[]; responses?: Record<string, { headers?: Record<string, unknown> }> }>) {
      if (!op || typeof op !== 'object' || !op.responses) continue;
      op.parameters = [...(op.parameters ?? []), { $ref: '#/components/parameters/RequestId' }];
      for (const response of Object.values(op.responses)) response.headers = { ...response.headers, [REQUEST_ID_HEADER]: { $ref: '#/components/headers/RequestId' } };
    }
  }
  return doc;
}
