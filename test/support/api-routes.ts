/**
 * Route discovery for API-wide tests: every `route.ts` under app/api (private `_folders`
 * skipped), with its URL template (`/api/alerts/{id}`), its dynamic segment names and the
 * handlers Next.js would serve for each HTTP method (next's autoImplementMethods: an unexported
 * standard method answers 405, HEAD falls back to GET, OPTIONS is generated).
 */
import fs from 'node:fs';
import path from 'node:path';

export const HTTP_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type Handler = (request: Request, context?: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface ApiRoute {
  /** Path of the route file, relative to the repository. */
  file: string;
  /** `/api/alerts/{id}` */
  template: string;
  /** Dynamic segment names, in order. */
  params: string[];
  /** Methods the module exports. */
  exported: HttpMethod[];
  /** Whether the file uses the shared route wrapper (lib/http/route.ts) rather than an older one. */
  wrapped: boolean;
  /** What Next serves for every standard method (405 handlers included). */
  handlers: Record<HttpMethod, Handler>;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('_')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.name === 'route.ts') out.push(full);
  }
  return out.sort();
}

/** Every API route file of the app, imported. */
export async function discoverApiRoutes(root = process.cwd()): Promise<ApiRoute[]> {
  const { autoImplementMethods } = (await import('next/dist/server/route-modules/app-route/helpers/auto-implement-methods.js')) as unknown as {
    autoImplementMethods: (handlers: Record<string, unknown>) => Record<HttpMethod, Handler>;
  };
  const apiDir = path.join(root, 'app', 'api');
  const routes: ApiRoute[] = [];
  for (const file of walk(apiDir)) {
    const segments = path.relative(path.join(root, 'app'), path.dirname(file)).split(path.sep);
    const params: string[] = [];
    const template = `/${segments
      .map((segment) => {
        const match = /^\[(?:\.\.\.)?(\w+)\]$/.exec(segment);
        if (!match) return segment;
        params.push(match[1]);
        return `{${match[1]}}`;
      })
      .join('/')}`;
    const mod = (await import(file)) as Record<string, unknown>;
    const exported = HTTP_METHODS.filter((method) => typeof mod[method] === 'function');
    const wrapped = /from '@\/lib\/http(\/route)?'/.test(fs.readFileSync(file, 'utf8'));
    routes.push({ file: path.relative(root, file), template, params, exported, wrapped, handlers: autoImplementMethods(mod) });
  }
  return routes;
}
