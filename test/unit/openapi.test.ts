/**
 * The OpenAPI document (lib/contracts/openapi.ts, GET /api/openapi.json, /docs): valid against the
 * official OpenAPI 3.1 schema, and in step with the route files: every route file under app/api
 * and every HTTP method it exports has an operation, and every operation has its route file and
 * export. Path parameters match the `[segment]` folders.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { api } from '@/lib/contracts/api';
import { buildOpenApiDocument } from '@/lib/contracts/openapi';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const root = path.resolve(import.meta.dirname, '../..');

/** `/api/alerts/{id}` → its route file's exported methods, found by reading the files (nothing imported). */
function routeFiles(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('_')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'route.ts') {
        const template = `/${path
          .relative(path.join(root, 'app'), dir)
          .split(path.sep)
          .map((segment) => segment.replace(/^\[(?:\.\.\.)?(\w+)\]$/, '{$1}'))
          .join('/')}`;
        const source = fs.readFileSync(full, 'utf8');
        const exported = METHODS.filter((m) => new RegExp(`export\\s+(const|async function|function)\\s+${m}\\b`).test(source));
        out.set(template, new Set(exported));
      }
    }
  };
  walk(path.join(root, 'app', 'api'));
  return out;
}

describe('OpenAPI document', () => {
  const document = buildOpenApiDocument();

  it('is a valid OpenAPI 3.1 document and survives JSON', async () => {
    const json = JSON.parse(JSON.stringify(document));
    const result = await new Validator().validate(json);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(json.openapi).toBe('3.1.0');
  });

  it('has an operation for every route file and method, and no other', () => {
    const files = routeFiles();
    const fromFiles = [...files].flatMap(([template, methods]) => [...methods].map((m) => `${m} ${template}`)).sort();
    const fromDocument = Object.entries(document.paths ?? {})
      .flatMap(([p, item]) => Object.keys(item as object).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    expect(fromDocument).toEqual(fromFiles);
    expect(files.size).toBeGreaterThan(20);
  });

  it('names each path parameter of a path, and only those', () => {
    for (const [p, item] of Object.entries(document.paths ?? {})) {
      const expected = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const operation of Object.values(item as Record<string, { parameters?: { in: string; name: string; required?: boolean }[] }>)) {
        const declared = (operation.parameters ?? []).filter((q) => q.in === 'path');
        expect(declared.map((q) => q.name).sort(), p).toEqual(expected);
        for (const q of declared) expect(q.required, `${p} ${q.name}`).toBe(true);
      }
    }
  });

  it('documents errors with the one error body and their statuses', () => {
    const candles = (document.paths?.['/api/candles'] as { get: { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> } }).get;
    expect(Object.keys(candles.responses).sort()).toEqual(['200', '400', '404', '500']);
    expect(candles.responses['404'].content?.['application/json'].schema?.$ref).toBe('#/components/schemas/Error');
    const created = (document.paths?.['/api/alerts'] as { post: { responses: Record<string, unknown> } }).post;
    expect(Object.keys(created.responses)).toContain('201');
  });

  it('documents requests as sent: query strings as strings and integers, bodies with defaults optional', () => {
    const scanner = (document.paths?.['/api/scanner'] as { get: { parameters: { name: string; required?: boolean; schema: { type?: string } }[] } }).get;
    const limit = scanner.parameters.find((p) => p.name === 'limit')!;
    expect(limit.required ?? false).toBe(false);
    expect(limit.schema.type).toBe('integer');
    const body = (document.paths?.['/api/alerts'] as { post: { requestBody: { content: { 'application/json': { schema: { required: string[] } } } } } }).post
      .requestBody.content['application/json'].schema;
    expect(body.required.sort()).toEqual(['condition', 'name', 'target']);
  });

  it('keys every endpoint of the table by a unique method and path', () => {
    const keys = Object.values(api).map((e) => `${e.method} ${e.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
