/**
 * /docs: the API reference, rendered from the OpenAPI document that GET /api/openapi.json serves
 * (generated from the endpoint contracts, lib/contracts/api.ts): every endpoint by tag with its
 * parameters, body and answers, the shared schemas, and a "Try it" form per endpoint.
 */
import type { Metadata } from 'next';
import { componentAnchor, Prose, SchemaView, typeLabel, type JsonSchema } from '@/components/docs/SchemaView';
import { TryIt, type TryItParameter } from '@/components/docs/TryIt';
import { buildOpenApiDocument } from '@/lib/contracts/openapi';

export const dynamic = 'force-static';
export const metadata: Metadata = { title: 'API reference' };

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}
interface Response {
  description?: string;
  content?: Record<string, { schema?: JsonSchema }>;
}
interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, Response>;
}

const METHOD_COLOURS: Record<string, string> = {
  GET: 'text-up',
  POST: 'text-accent',
  PATCH: 'text-accent',
  PUT: 'text-accent',
  DELETE: 'text-down',
};

function exampleOf(p: Parameter): string | undefined {
  const example = p.schema?.example ?? p.schema?.default;
  return example === undefined ? undefined : String(example);
}

function OperationView({ method, path, operation }: { method: string; path: string; operation: Operation }) {
  const parameters = operation.parameters ?? [];
  const body = operation.requestBody?.content?.['application/json']?.schema;
  const tryParameters: TryItParameter[] = parameters
    .filter((p) => p.in === 'path' || p.in === 'query')
    .map((p) => ({ name: p.name, in: p.in as 'path' | 'query', required: Boolean(p.required), example: exampleOf(p) }));
  return (
    <section id={operation.operationId} className="scroll-mt-16 overflow-x-auto rounded border border-desk-line bg-desk-panel p-3">
      <h3 className="break-all font-mono text-[13px]">
        <span className={`mr-2 font-semibold ${METHOD_COLOURS[method] ?? ''}`}>{method}</span>
        {path}
      </h3>
      {operation.summary && <p className="mt-1 font-medium">{operation.summary}</p>}
      {operation.description && (
        <p className="mt-1 text-xs text-desk-muted">
          <Prose text={operation.description} />
        </p>
      )}
      {parameters.length > 0 && (
        <div className="mt-2">
          <h4 className="text-xs font-semibold uppercase tracking-wide text-desk-muted">Parameters</h4>
          <table className="w-full text-xs">
            <tbody>
              {parameters.map((p) => (
                <tr key={`${p.in}:${p.name}`} className="border-t border-desk-line/60 align-top">
                  <td className="whitespace-nowrap py-1 pr-3 font-mono">
                    {p.in}.{p.name}
                    {p.required ? <span className="text-down">*</span> : null}
                  </td>
                  <td className="py-1 pr-3 font-mono text-desk-muted">{p.schema ? typeLabel(p.schema) : null}</td>
                  <td className="py-1 [overflow-wrap:anywhere]">
                    {(p.description ?? p.schema?.description) && <Prose text={(p.description ?? p.schema?.description)!} />}
                    {p.schema?.default !== undefined && <span className="text-desk-muted"> (default {JSON.stringify(p.schema.default)})</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {body && (
        <div className="mt-2">
          <h4 className="text-xs font-semibold uppercase tracking-wide text-desk-muted">JSON body</h4>
          <SchemaView schema={body} />
        </div>
      )}
      <div className="mt-2">
        <h4 className="text-xs font-semibold uppercase tracking-wide text-desk-muted">Answers</h4>
        {Object.entries(operation.responses ?? {}).map(([status, response]) => {
          const [mediaType, media] = Object.entries(response.content ?? {})[0] ?? [];
          return (
            <div key={status} className="mt-1">
              <div className="text-xs">
                <span className={`font-mono font-semibold ${status.startsWith('2') ? 'text-up' : 'text-down'}`}>{status}</span>{' '}
                <span className="text-desk-muted">{response.description && <Prose text={response.description} />}</span>
                {mediaType && mediaType !== 'application/json' ? <span className="font-mono text-desk-muted"> · {mediaType}</span> : null}
              </div>
              {status.startsWith('2') && media?.schema && mediaType === 'application/json' ? <SchemaView schema={media.schema} /> : null}
            </div>
          );
        })}
      </div>
      <TryIt method={method} path={path} parameters={tryParameters} hasBody={Boolean(body)} />
    </section>
  );
}

export default function ApiDocsPage() {
  const document = buildOpenApiDocument();
  const operations: { method: string; path: string; operation: Operation }[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item as Record<string, Operation>)) {
      operations.push({ method: method.toUpperCase(), path, operation });
    }
  }
  const tags = (document.tags ?? []).map((t) => t.name);
  const schemas = Object.entries((document.components?.schemas ?? {}) as Record<string, JsonSchema>).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[220px_minmax(0,1fr)]">
      <nav className="sticky top-16 hidden max-h-[calc(100vh-5rem)] overflow-auto text-xs lg:block" aria-label="API sections">
        {tags.map((tag) => (
          <div key={tag} className="mb-3">
            <a href={`#tag-${tag}`} className="font-semibold text-desk-text hover:text-accent">
              {tag}
            </a>
            <ul className="mt-1 space-y-0.5">
              {operations
                .filter((o) => o.operation.tags?.includes(tag))
                .map((o) => (
                  <li key={`${o.method} ${o.path}`}>
                    <a href={`#${o.operation.operationId}`} className="font-mono text-desk-muted hover:text-desk-text">
                      {o.method} {o.path}
                    </a>
                  </li>
                ))}
            </ul>
          </div>
        ))}
        <a href="#schemas" className="font-semibold text-desk-text hover:text-accent">
          Schemas
        </a>
      </nav>
      <div className="min-w-0 space-y-6">
        <header>
          <h1 className="text-lg font-semibold">{document.info.title}</h1>
          <p className="mt-1 max-w-3xl text-xs text-desk-muted [overflow-wrap:anywhere]">{document.info.description && <Prose text={document.info.description} />}</p>
          <p className="mt-1 text-xs">
            OpenAPI {document.openapi}:{' '}
            <a href="/api/openapi.json" className="text-accent hover:underline">
              /api/openapi.json
            </a>
          </p>
        </header>
        {tags.map((tag) => (
          <section key={tag} id={`tag-${tag}`} className="scroll-mt-16 space-y-3">
            <h2 className="text-base font-semibold">{tag}</h2>
            {operations
              .filter((o) => o.operation.tags?.includes(tag))
              .map((o) => (
                <OperationView key={`${o.method} ${o.path}`} {...o} />
              ))}
          </section>
        ))}
        <section id="schemas" className="space-y-3">
          <h2 className="text-base font-semibold">Schemas</h2>
          {schemas.map(([name, schema]) => (
            <div key={name} id={componentAnchor(name)} className="scroll-mt-16 overflow-x-auto rounded border border-desk-line bg-desk-panel p-3">
              <h3 className="mb-1 font-mono text-[13px]">{name}</h3>
              <SchemaView schema={schema} />
            </div>
          ))}
        </section>
      </div>
    </div>
  );
}
