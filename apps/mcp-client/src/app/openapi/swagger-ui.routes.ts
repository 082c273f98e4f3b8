import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

// No inline script: the initializer reads the document URL from the page, so a strict CSP can hold.
const INITIALIZER = `window.onload = function () {
  var element = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({
    url: new URL(element.getAttribute('data-url'), window.location.href).href,
    dom_id: '#swagger-ui',
    deepLinking: true,
    tryItOutEnabled: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
  });
};
`;

function page(title: string, assetBase: string, documentUrl: string): string {
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>${title}</title>
    <link rel="stylesheet" type="text/css" href="${assetBase}swagger-ui.css" />
    <link rel="stylesheet" type="text/css" href="${assetBase}index.css" />
    <link rel="icon" type="image/png" href="${assetBase}favicon-32x32.png" sizes="32x32" />
    <link rel="icon" type="image/png" href="${assetBase}favicon-16x16.png" sizes="16x16" />
  </head>
  <body>
    <div id="swagger-ui" data-url="${documentUrl}"></div>
    <script src="${assetBase}swagger-ui-bundle.js" charset="UTF-8"></script>
    <script src="${assetBase}swagger-ui-standalone-preset.js" charset="UTF-8"></script>
    <script src="${assetBase}swagger-initializer.js" charset="UTF-8"></script>
  </body>
</html>
`;
}

// swagger-ui-dist has no types; its path helper is plain CommonJS, resolved by Node at run time
// (node_modules stay outside the webpack bundle), so the files are found where npm put them.
const swaggerUiDistPath = require('swagger-ui-dist/absolute-path.js') as () => string;

/**
 * Swagger UI at `/docs` for the live document at `/docs-json`, from the swagger-ui-dist files.
 * @nestjs/swagger serves its UI on Fastify only through @fastify/static, which this workspace
 * does not install, so the handful of files are served here (read once, kept in memory). Every
 * URL is relative, so the UI also works behind a path-prefixing ingress.
 */
export function registerSwaggerUi(fastify: FastifyInstance, options: { title: string }): void {
  const distDir = swaggerUiDistPath();
  const cache = new Map<string, Buffer>();
  const asset = async (name: string) => {
    let content = cache.get(name);
    if (!content) {
      content = await readFile(path.join(distDir, name));
      cache.set(name, content);
    }
    return content;
  };

  fastify.get('/docs', (_request, reply) => reply.type('text/html; charset=utf-8').send(page(options.title, 'docs/', 'docs-json')));
  fastify.get('/docs/', (_request, reply) => reply.type('text/html; charset=utf-8').send(page(options.title, './', '../docs-json')));
  fastify.get('/docs/swagger-initializer.js', (_request, reply) => reply.type('application/javascript; charset=utf-8').send(INITIALIZER));
  for (const [name, type] of Object.entries(ASSETS)) {
    fastify.get(`/docs/${name}`, async (_request, reply) => reply.type(type).header('cache-control', 'public, max-age=86400').send(await asset(name)));
  }
}
