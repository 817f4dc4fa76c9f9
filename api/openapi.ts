// The OpenAPI 3.1 document, generated from the route table and its zod schemas (zod's own JSON
// Schema output is draft 2020-12, which OpenAPI 3.1 uses as is), and a docs page that needs
// nothing from the internet: these servers often have none.
import { z } from 'zod';
import type { Ownership, RouteSpec } from './route.js';

type JsonSchema = Record<string, unknown>;

const errorSchema = z.object({
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      problems: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      requestId: z.string().optional(),
      diagnostics: z.array(z.record(z.string(), z.unknown())).optional().meta({
        description: "`invalid-policy`: the checker's diagnostics, as `charter check --format json`",
      }),
    })
    // Some codes add what their answer needs (a refusal's people, a conflict's current version).
    .catchall(z.unknown()),
});

const schemaOf = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const json = { ...(z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema) };
  delete json['$schema'];
  return json;
};

function parametersOf(spec: RouteSpec): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', spec.params],
    ['query', spec.query],
  ] as const) {
    if (!schema) continue;
    const json = schemaOf(schema, 'input');
    const properties = (json['properties'] ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json['required'] ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      out.push({ name, in: where, required: where === 'path' || required.has(name), schema: property });
    }
  }
  return out;
}

/** What a caller gets for someone else's object, for the response of that status. */
function ownershipNote(ownership: Ownership): string {
  const anyones = ownership.seeAll.length === 0 ? 'nobody' : ownership.seeAll.join(', ');
  return ownership.othersGet === 404
    ? `No such ${ownership.object}, or it is not the caller's (${anyones} see anyone's): the two are not told apart.`
    : `The ${ownership.object} is someone else's: only its owner (or ${anyones}) may do this.`;
}

export function openApiDocument(routes: readonly RouteSpec[]): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of routes) {
    const path = `/v1${spec.path.replace(/:(\w+)/g, '{$1}')}`;
    const status = spec.redirects ? '302' : String(spec.status ?? 200);
    const success: JsonSchema = spec.redirects
      ? {
          description: 'Found: the browser goes on to the Location header',
          headers: { Location: { required: true, schema: { type: 'string' } } },
        }
      : spec.produces
        ? { description: 'OK', content: Object.fromEntries(spec.produces.map((t) => [t, {}])) }
        : {
            description: 'OK',
            content: {
              'application/json': { schema: spec.response ? schemaOf(spec.response, 'output') : {} },
            },
          };
    const error = {
      description: 'error',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
    paths[path] ??= {};
    paths[path][spec.method] = {
      summary: spec.summary,
      description: `Roles: ${spec.roles.join(', ')}.`,
      'x-roles': spec.roles,
      // The document's default is the bearer token; a public route (signing in) takes none.
      ...(spec.public ? { security: [] } : {}),
      ...(spec.ownership ? { 'x-ownership': spec.ownership } : {}),
      parameters: [
        ...parametersOf(spec),
        ...(spec.method === 'post' && !spec.oneTimeSecret
          ? [
              {
                name: 'Idempotency-Key',
                in: 'header',
                required: false,
                // As api/idempotency.ts checks it: 1-200 visible ASCII characters.
                schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' },
              },
            ]
          : []),
      ],
      ...(spec.body
        ? {
            requestBody: {
              required: true,
              content: { [spec.consumes ?? 'application/json']: { schema: schemaOf(spec.body, 'input') } },
            },
          }
        : {}),
      responses: {
        [status]: success,
        ...Object.fromEntries((spec.alsoStatus ?? []).map((other) => [String(other), success])),
        ...(spec.ownership
          ? { [String(spec.ownership.othersGet)]: { ...error, description: ownershipNote(spec.ownership) } }
          : {}),
        '4XX': error,
        '5XX': error,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Charter control API',
      version: '1',
      description: 'Policies, instances, tasks, directory, audit and reports of Charter. Bearer API tokens.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: schemaOf(errorSchema, 'output') },
    },
    paths,
  };
}

const escape = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/** One self-contained HTML page: every operation with its roles, parameters and schemas. */
export function docsPage(document: JsonSchema): string {
  const paths = document['paths'] as Record<string, Record<string, JsonSchema>>;
  const sections = Object.entries(paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(
      ([method, op]) => `<section><h2><code>${method.toUpperCase()} ${escape(path)}</code></h2>
<p>${escape(String(op['summary']))} <em>${escape(String(op['description']))}</em></p>
<details><summary>schema</summary><pre>${escape(JSON.stringify({ parameters: op['parameters'], requestBody: op['requestBody'], responses: op['responses'] }, null, 2))}</pre></details></section>`,
    ),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Charter API</title>
<style>body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
h2{font-size:1rem;margin:1.5rem 0 .25rem}pre{background:#f5f5f5;padding:.75rem;overflow:auto;font-size:12px}</style>
</head><body><h1>Charter control API v1</h1>
<p>Send <code>Authorization: Bearer &lt;token&gt;</code>. The machine-readable description is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
${sections.join('\n')}</body></html>`;
}
