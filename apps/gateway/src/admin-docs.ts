import type { OpenAPIObject } from '@nestjs/swagger';
import express from 'express';
import type { Request, Response } from 'express';
import { dirname, join } from 'node:path';

export const OPENAPI_DOCUMENT_PATH = '/admin/v1/openapi.json';
export const DOCS_PATH = '/admin/docs';

/** Swagger UI's files come from the installed package: the docs work without any network access. */
const SWAGGER_UI_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js']);

// No inline script or style: the page runs under a CSP that allows only this origin's files.
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Identity gateway admin API</title>
<link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
<script src="${DOCS_PATH}/init.js"></script>
</body>
</html>
`;

// The token typed into "Authorize" stays in the page's memory (persistAuthorization off): never in storage.
const INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(OPENAPI_DOCUMENT_PATH)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: false,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
`;

/**
 * Everything from the admin listener itself, SVG icons as data URLs; Swagger UI sets its styles
 * through the DOM, which this allows without 'unsafe-inline'.
 */
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function securityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', PAGE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
}

/**
 * The admin API's OpenAPI document and a Swagger UI for it. Mounted on the shared application, so it
 * relies on the listener gate (paths under /admin) to answer on the admin listener only. Neither needs
 * the admin token: the document describes the API and holds no secret; every call made from the UI
 * still needs one.
 */
export function adminDocs(document: OpenAPIObject): express.Router {
  const json = JSON.stringify(document);
  const router = express.Router({ strict: true });
  router.get(OPENAPI_DOCUMENT_PATH, (_req: Request, res: Response) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type('application/json').send(json);
  });
  router.get([DOCS_PATH, `${DOCS_PATH}/`], (_req: Request, res: Response) => {
    securityHeaders(res);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(PAGE);
  });
  router.get(`${DOCS_PATH}/init.js`, (_req: Request, res: Response) => {
    securityHeaders(res);
    res.type('application/javascript').send(INIT_SCRIPT);
  });
  router.get(`${DOCS_PATH}/:asset`, (req: Request<{ asset: string }>, res: Response, next) => {
    const file = req.params.asset;
    if (!ASSETS.has(file)) {
      next();
      return;
    }
    securityHeaders(res);
    res.sendFile(join(SWAGGER_UI_DIR, file), { maxAge: '1h' });
  });
  return router;
}
