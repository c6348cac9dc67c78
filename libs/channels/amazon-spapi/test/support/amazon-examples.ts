import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AMAZON_MODELS } from './sandbox';

/** The operations the client uses (and searchListingsItems, which only the sandbox serves), by model file. */
export const USED_OPERATIONS: Record<string, string[]> = {
  'listingsItems_2021-08-01.json': ['getListingsItem', 'patchListingsItem', 'searchListingsItems'],
  'feeds_2021-06-30.json': ['createFeedDocument', 'createFeed', 'getFeed', 'getFeedDocument'],
  'fbaInventory.json': ['getInventorySummaries'],
  'orders_2026-01-01.json': ['searchOrders', 'getOrder'],
  'reports_2021-06-30.json': ['createReport', 'getReport', 'getReportDocument'],
  'sellers.json': ['getMarketplaceParticipations'],
};

interface ModelParameter {
  name: string;
  in: 'path' | 'query' | 'body' | 'header';
}

export interface AmazonExample {
  model: string;
  operationId: string;
  method: string;
  pathTemplate: string;
  status: number;
  parameters: Record<string, unknown>;
  parameterIn: Record<string, ModelParameter['in']>;
  response: unknown;
  /** Validates an answer against the model's schema of this status. */
  validate: ValidateFunction;
  /** Index among the operation's examples. */
  index: number;
}

type Json = Record<string, unknown>;

/** Every `x-amzn-api-sandbox` static example of the used operations, with a validator of its answer. */
export function loadExamples(): AmazonExample[] {
  const out: AmazonExample[] = [];
  for (const [file, ops] of Object.entries(USED_OPERATIONS)) {
    const model = JSON.parse(fs.readFileSync(path.join(AMAZON_MODELS, 'models', file), 'utf8')) as Json;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(ajv);
    ajv.addSchema({ $id: `model:${file}`, definitions: model['definitions'] as Json });
    for (const [p, item] of Object.entries(model['paths'] as Record<string, Json>)) {
      for (const [method, op] of Object.entries(item)) {
        const o = op as Json;
        if (!o || typeof o !== 'object' || !ops.includes(o['operationId'] as string)) continue;
        const parameterIn: Record<string, ModelParameter['in']> = {};
        for (const prm of [...((item['parameters'] as ModelParameter[]) ?? []), ...((o['parameters'] as ModelParameter[]) ?? [])]) parameterIn[prm.name] = prm.in;
        let index = 0;
        for (const [status, r] of Object.entries(o['responses'] as Record<string, Json>)) {
          const sandbox = r['x-amzn-api-sandbox'] as { static?: Array<{ request: { parameters: Record<string, { value: unknown }> }; response: unknown }> } | undefined;
          for (const ex of sandbox?.static ?? []) {
            const schema = JSON.parse(JSON.stringify(r['schema'] ?? {}).replace(/"#\/definitions\//g, `"model:${file}#/definitions/`));
            const parameters: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(ex.request.parameters ?? {})) parameters[k] = v.value;
            out.push({
              model: file,
              operationId: o['operationId'] as string,
              method: method.toUpperCase(),
              pathTemplate: p,
              status: Number(status),
              parameters,
              parameterIn,
              response: ex.response,
              validate: ajv.compile(schema),
              index: index++,
            });
          }
        }
      }
    }
  }
  return out;
}

export function label(e: AmazonExample): string {
  return `${e.operationId} ${e.status} #${e.index} ${JSON.stringify(e.parameters).slice(0, 80)}`;
}
