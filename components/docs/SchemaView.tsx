/**
 * A compact, read-only rendering of a JSON Schema (as the OpenAPI document holds it): object
 * properties with their types, `required`, enums, defaults, descriptions; `$ref`s link to the
 * component's section of the /docs page. Server-renderable (no state).
 */
import type { ReactNode } from 'react';

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
  description?: string;
  format?: string;
  example?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
};

export const refName = (ref: string) => ref.split('/').at(-1) ?? ref;

/** Text with `code` spans (as the contracts' descriptions write them). */
export function Prose({ text }: { text: string }) {
  return (
    <>
      {text.split('`').map((part, i) =>
        i % 2 === 1 ? (
          <code key={i} className="rounded bg-desk-raised px-1 font-mono text-[0.95em]">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}
export const componentAnchor = (name: string) => `schema-${name}`;

/** One-line type label: `string (date-time)`, `integer 1–500`, `Candle[]`, `"a" | "b"`, `number | null`. */
export function typeLabel(schema: JsonSchema): ReactNode {
  if (schema.$ref) {
    const name = refName(schema.$ref);
    return (
      <a href={`#${componentAnchor(name)}`} className="text-accent hover:underline">
        {name}
      </a>
    );
  }
  if (schema.const !== undefined) return <code>{JSON.stringify(schema.const)}</code>;
  if (schema.enum) return <code>{schema.enum.map((v) => JSON.stringify(v)).join(' | ')}</code>;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    return variants.map((variant, i) => (
      <span key={i}>
        {i > 0 && ' | '}
        {typeLabel(variant)}
      </span>
    ));
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.includes('array') && schema.items) return <>{typeLabel(schema.items)}[]</>;
  const range =
    schema.minimum !== undefined || schema.maximum !== undefined
      ? ` ${schema.minimum ?? ''}–${schema.maximum ?? ''}`
      : schema.maxLength !== undefined
        ? ` ≤${schema.maxLength} chars`
        : '';
  return (
    <>
      {types.join(' | ') || 'any'}
      {schema.format ? ` (${schema.format})` : ''}
      {range}
    </>
  );
}

function Note({ schema }: { schema: JsonSchema }) {
  const parts: string[] = [];
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  if (schema.example !== undefined) parts.push(`e.g. ${JSON.stringify(schema.example)}`);
  return (
    <>
      {schema.description && (
        <span>
          <Prose text={schema.description} />{' '}
        </span>
      )}
      {parts.length > 0 && <span className="text-desk-muted">({parts.join('; ')})</span>}
    </>
  );
}

/** Object properties as a table (nested objects indented); anything else as its type label. */
export function SchemaView({ schema, depth = 0 }: { schema: JsonSchema; depth?: number }) {
  const properties = schema.properties;
  if (!properties) {
    const variants = schema.anyOf ?? schema.oneOf;
    if (variants && variants.some((v) => v.properties)) {
      return (
        <div className="space-y-2">
          {variants.map((variant, i) => (
            <div key={i} className="rounded border border-desk-line p-2">
              <div className="mb-1 text-xs text-desk-muted">one of ({i + 1})</div>
              <SchemaView schema={variant} depth={depth + 1} />
            </div>
          ))}
        </div>
      );
    }
    return (
      <div className="font-mono text-xs">
        {typeLabel(schema)} <Note schema={schema} />
      </div>
    );
  }
  const required = new Set(schema.required ?? []);
  return (
    <table className="w-full text-xs">
      <tbody>
        {Object.entries(properties).map(([name, property]) => {
          const nested = property.properties ? property : property.items?.properties ? property.items : undefined;
          return (
            <tr key={name} className="border-t border-desk-line/60 align-top">
              <td className="whitespace-nowrap py-1 pr-3 font-mono" style={{ paddingLeft: depth * 12 }}>
                {name}
                {required.has(name) ? <span className="text-down">*</span> : null}
              </td>
              <td className="py-1 pr-3 font-mono text-desk-muted">{typeLabel(property)}</td>
              <td className="py-1 [overflow-wrap:anywhere]">
                <Note schema={property} />
                {nested && depth < 3 ? <SchemaView schema={nested} depth={depth + 1} /> : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
