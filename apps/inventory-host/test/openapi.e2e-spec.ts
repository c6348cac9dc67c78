import { recordingPlugin } from './fixtures/recording-plugin';
import { startHost, type TestHost } from './support/test-host';

type Operation = { operationId?: string; responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>; requestBody?: { content?: Record<string, { schema?: unknown }> } };

/**
 * The OpenAPI document is what client generators read: every operation must say what it answers
 * (a schema for its success response) and what a body must look like.
 */
describe('the OpenAPI document (/docs-json)', () => {
  let host: TestHost;
  let doc: { paths: Record<string, Record<string, Operation>> };
  beforeAll(async () => {
    host = await startHost({ plugins: [recordingPlugin], env: { SCHEDULER: 'off' } });
    doc = (await host.anon().get('/docs-json').expect(200)).body;
  });
  afterAll(() => host?.close());

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, method, op })));

  it('gives every operation a schema for its 2xx answer (204 excepted: no body)', () => {
    const missing = operations()
      .filter(({ op }) => {
        const ok = Object.entries(op.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
        if (ok.some(([status]) => status === '204')) return false;
        return !ok.some(([, r]) => Object.values(r.content ?? {}).some((c) => !!c.schema));
      })
      .map(({ name }) => name);
    expect(missing).toEqual([]);
  });

  it('resolves every $ref to a schema the document defines', () => {
    const schemas = (doc as unknown as { components: { schemas: Record<string, unknown> } }).components.schemas;
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(20);
    expect([...new Set(refs)].filter((r) => !(r in schemas))).toEqual([]);
  });

  it('documents one error shape, referred to by every admin operation for 400, 401, 404, 409 and 429', () => {
    const unreferred = operations()
      .filter(({ name }) => name.includes(' /api/v1/'))
      .flatMap(({ name, op }) =>
        ['400', '401', '404', '409', '429'].filter((s) => JSON.stringify(op.responses?.[s]?.content ?? {}) !== JSON.stringify({ 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } })).map((s) => `${name} ${s}`),
      );
    expect(unreferred).toEqual([]);
  });

  it('gives every operation that takes a body a schema for it', () => {
    const missing = operations()
      .filter(({ method, op }) => ['post', 'patch', 'put'].includes(method) && op.requestBody && !Object.values(op.requestBody.content ?? {}).some((c) => !!c.schema))
      .map(({ name }) => name);
    expect(missing).toEqual([]);
  });
});
