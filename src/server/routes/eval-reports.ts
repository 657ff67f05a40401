import type { FastifyInstance } from 'fastify';
import { listReports, readReport } from '../../eval/report/saved-reports.js';
import { errorRef, type RouteContext } from './context.js';

const nameParams = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: { name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: 'A saved report\'s name (kindred eval --save <name>)' } },
} as const;

interface NameParams {
  name: string;
}

const reportList = {
  type: 'object',
  required: ['reports'],
  properties: {
    reports: {
      type: 'array',
      description: 'Newest first',
      items: {
        type: 'object',
        required: ['name', 'createdAt', 'dataset', 'models', 'protocol', 'html'],
        properties: {
          name: { type: 'string' },
          createdAt: { type: 'string', format: 'date-time', description: 'When the report file was written' },
          dataset: { type: 'string' },
          models: { type: 'array', items: { type: 'string' }, description: 'Result rows: models, pipeline and care rows' },
          protocol: { type: 'string' },
          html: { type: 'boolean', description: 'An HTML report was saved too (GET .../html)' },
        },
      },
    },
  },
} as const;

// The HTML report is self-contained (inline styles and SVG, no scripts): a policy that lets nothing else run or load.
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";

/**
 * Saved evaluation reports from config eval.reportsDir (admin scope): the list, one report's JSON (the `kindred eval
 * --json` result) and its HTML report.
 *
 * @example evalReportRoutes(app, { engine, maxBatch: 50_000 })
 */
export function evalReportRoutes(app: FastifyInstance, { engine }: RouteContext): void {
  const dir = engine.config.eval.reportsDir;
  app.route({
    method: 'GET',
    url: '/v1/eval/reports',
    schema: {
      operationId: 'listEvalReports',
      summary: 'Saved evaluation reports (kindred eval --save), newest first',
      tags: ['evaluation'],
      response: { 200: reportList },
    },
    handler: async () => ({ reports: await listReports(dir) }),
  });

  app.route<{ Params: NameParams }>({
    method: 'GET',
    url: '/v1/eval/reports/:name',
    schema: {
      operationId: 'getEvalReport',
      summary: 'One saved evaluation report: the kindred eval --json result',
      tags: ['evaluation'],
      params: nameParams,
      response: { 200: { type: 'object', additionalProperties: true, description: 'The evaluation result (dataset, protocol, split, ks, results with metrics per model...)' }, 400: errorRef, 404: errorRef },
    },
    handler: async (request) => JSON.parse(await readReport(dir, request.params.name, 'json')) as Record<string, unknown>,
  });

  app.route<{ Params: NameParams }>({
    method: 'GET',
    url: '/v1/eval/reports/:name/html',
    schema: {
      operationId: 'getEvalReportHtml',
      summary: 'One saved evaluation report as its self-contained HTML page',
      tags: ['evaluation'],
      params: nameParams,
      response: { 200: { description: 'The HTML report', content: { 'text/html': { schema: { type: 'string' } } } }, 400: errorRef, 404: errorRef },
    },
    handler: async (request, reply) => {
      const html = await readReport(dir, request.params.name, 'html');
      return reply.type('text/html; charset=utf-8').header('content-security-policy', REPORT_CSP).send(html);
    },
  });
}
