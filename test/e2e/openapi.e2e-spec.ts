import SwaggerParser from '@apidevtools/swagger-parser';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import type { GatewayProcess } from '../support/gateway-process';
import { loopbackFetch } from '../support/loopback-fetch';
import { documentedRoutes, missing, registeredRoutes } from '../support/openapi-routes';
import { testBackends } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';

interface Schema {
  type?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  enum?: unknown[];
  maxLength?: number;
  $ref?: string;
}

interface Operation {
  tags?: string[];
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Schema }>;
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

interface Document {
  openapi: string;
  info: { title: string; version: string };
  security?: Array<Record<string, string[]>>;
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, { type: string; scheme?: string }>;
    schemas: Record<string, Schema>;
  };
}

const PREFIX = '/admin/v1';
const ERROR_REF = '#/components/schemas/AdminError';
const backend = `${testBackends.postgresUrl ? 'Postgres' : 'PGlite'} + ${testBackends.redisUrl ? 'Redis' : 'in-process state'}`;

describe(`admin API document and UI (${backend})`, () => {
  let gw: GatewayProcess;
  let dispose: (() => Promise<void>) | undefined;
  let document: Document;

  const admin = (path: string) => loopbackFetch(`http://127.0.0.1:${gw.adminPort}${path}`);
  const operations = (): Array<[string, Operation]> =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]): [string, Operation] => [
        `${method.toUpperCase()} ${path}`,
        op,
      ]),
    );
  const operation = (method: string, path: string): Operation => {
    const op = document.paths[path]?.[method];
    if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in the document`);
    return op;
  };

  beforeAll(async () => {
    ({ gw, dispose } = await startTestGateways({ database: 'idgw_openapi' }));
    // Without the admin token: the document describes the API and holds no secret.
    const res = await admin(`${PREFIX}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    document = (await res.json()) as Document;
  });

  afterAll(async () => {
    await dispose?.();
  });

  it('is a valid OpenAPI document', async () => {
    // The validator dereferences in place; it gets its own copy.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
    expect(document.openapi).toMatch(/^3\.0\./);
    expect(document.info.title).toBe('Identity gateway admin API');
  });

  it('lists every admin route the gateway registered, and nothing else', () => {
    const registered = registeredRoutes(gw.output.join(''), PREFIX);
    // The startup log is where the registered routes are read from: it must hold them.
    expect(registered).toEqual(
      expect.arrayContaining([
        'POST /admin/v1/instances',
        'PATCH /admin/v1/instances/{name}/clients/{clientId}',
        'GET /admin/v1/instances/{name}/audit',
        'POST /admin/v1/keys/reencrypt',
      ]),
    );
    const documented = documentedRoutes(document);
    expect(missing(registered, documented)).toEqual([]);
    expect(missing(documented, registered)).toEqual([]);
  });

  it('requires the admin bearer token and documents the JSON error body on every operation', () => {
    expect(document.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.security).toEqual([{ adminToken: [] }]);
    expect(document.components.schemas.AdminError).toMatchObject({
      type: 'object',
      required: ['error', 'message'],
    });
    for (const [route, op] of operations()) {
      expect({ route, tagged: (op.tags ?? []).length > 0 }).toEqual({ route, tagged: true });
      const statuses = Object.keys(op.responses);
      expect({ route, success: statuses.some((s) => /^2\d\d$/.test(s)) }).toEqual({ route, success: true });
      // Every route is rate-limited per address, then needs the admin token.
      expect({ route, statuses }).toEqual({ route, statuses: expect.arrayContaining(['401', '429']) });
      for (const status of statuses.filter((s) => s.startsWith('4'))) {
        expect({ route, status, schema: op.responses[status].content?.['application/json']?.schema }).toEqual(
          {
            route,
            status,
            schema: { $ref: ERROR_REF },
          },
        );
      }
    }
  });

  it('describes bodies, query parameters and statuses as the routes validate and answer them', async () => {
    const create = operation('post', `${PREFIX}/instances`);
    expect(create.requestBody?.required).toBe(true);
    const createSchema = create.requestBody!.content['application/json'].schema;
    expect(createSchema).toMatchObject({ type: 'object', required: ['name'], additionalProperties: false });
    expect(createSchema.properties?.name).toMatchObject({ type: 'string', maxLength: 63 });
    expect(Object.keys(create.responses).sort()).toEqual(['201', '400', '401', '409', '422', '429']);

    const rotate = operation('post', `${PREFIX}/instances/{name}/keys/rotate`);
    expect(rotate.requestBody?.required).toBe(false);
    expect(rotate.requestBody!.content['application/json'].schema.properties?.algorithm?.enum).toContain(
      'ES256',
    );

    const audit = operation('get', `${PREFIX}/instances/{name}/audit`);
    expect(audit.parameters?.map((p) => `${p.in}:${p.name}:${p.required === true}`).sort()).toEqual([
      'path:name:true',
      'query:action:false',
      'query:before:false',
      'query:limit:false',
    ]);

    expect(Object.keys(operation('delete', `${PREFIX}/instances/{name}`).responses).sort()).toEqual([
      '204',
      '401',
      '404',
      '429',
    ]);
    expect(Object.keys(operation('post', `${PREFIX}/keys/reencrypt`).responses)).toContain('200');

    // The API refuses what the document's schema excludes (the same zod schema judges both).
    const refused = await gw.admin<{ error: string }>('POST', '/instances', {
      name: 'documented',
      color: 'red',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_request');
  });

  it('serves Swagger UI on the admin listener, its files from the installed package', async () => {
    const res = await admin('/admin/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.sort()).toEqual([
      '/admin/docs/init.js',
      '/admin/docs/swagger-ui-bundle.js',
      '/admin/docs/swagger-ui.css',
    ]);
    for (const asset of assets) {
      const file = await admin(asset);
      expect({ asset, status: file.status }).toEqual({ asset, status: 200 });
      expect((await file.text()).length).toBeGreaterThan(0);
    }
    expect((await admin('/admin/docs/package.json')).status).toBe(404);
  });

  it('answers 404 for the document and the UI on the public listener', async () => {
    for (const path of [
      `${PREFIX}/openapi.json`,
      '/admin/docs',
      '/admin/docs/',
      '/admin/docs/init.js',
      '/admin/docs/swagger-ui-bundle.js',
    ]) {
      const res = await loopbackFetch(`http://127.0.0.1:${gw.port}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(await res.json()).toMatchObject({ error: 'not_found' });
    }
  });

  describe('in a browser', () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await launchBrowser();
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('renders every operation under the page CSP, loading nothing from elsewhere', async () => {
      const page = await browser.newPage();
      const origin = `http://127.0.0.1:${gw.adminPort}`;
      const elsewhere: string[] = [];
      const violations: string[] = [];
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(`${origin}/`) || url.startsWith('data:')) return route.continue();
        elsewhere.push(url);
        return route.abort();
      });
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await page.goto(`${origin}/admin/docs`);
      await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
      expect(await page.locator('.opblock').count()).toBe(documentedRoutes(document).length);
      await expect(page.locator('.info .title').innerText()).resolves.toContain('Identity gateway admin API');
      // An opened operation renders its schema, examples and the request form: still within the CSP.
      const create = page.locator('#operations-instances-Instances_create');
      await create.locator('.opblock-summary').click();
      await create.locator('.try-out__btn').click();
      await create.locator('textarea.body-param__text').waitFor();
      await expect(create.locator('.responses-table').innerText()).resolves.toContain('409');
      expect(violations).toEqual([]);
      expect(elsewhere).toEqual([]);
      await page.close();
    });
  });
});
