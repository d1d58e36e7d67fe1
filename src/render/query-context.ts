/**
 * An imported tool's query as its templates see it (templates/import/postgres/): the SQL of
 * get, list and search written out here, once, from the spec's `query` binding; create and
 * update compose theirs at run time from the same fixed column list. Every identifier is
 * quoted, every value a bound parameter cast to its column's type (`$1::text::integer`).
 */
import type { QueryColumnSpec, QuerySpec } from '../spec/project-spec.js';

export interface QueryContext {
  kind: QuerySpec['kind'];
  get: boolean;
  list: boolean;
  search: boolean;
  /**
   * list, and search when it takes `after` (imports from 0.5.0 on; an older search_ tool in
   * mcp-gen.json lacks it until a re-import): keyset pages, `after` the last page's cursor.
   */
  paged: boolean;
  create: boolean;
  update: boolean;
  /** `"public"."customers"`, and the table's name for messages. */
  table: string;
  tableName: string;
  shared: boolean;
  /** The SELECT of get, list or search, with its parameters in order (`value` ones come from the input). */
  sql: string;
  /** The SELECT as TS source: a template literal, one clause a line. */
  sqlSource: string;
  binds: Array<{ param: string }>;
  /** The TS expressions of the bound values, in order, but the last (`limit`) of list and search. */
  values: string[];
  tenantColumn: string | null;
  /** What the generated query module imports from query-support.ts. */
  supportImports: string[];
  /** list and search: the key columns' params, in order, which the cursor carries. */
  keyParams: string[];
  /** The row as a zod object's source, and the JSON expression that builds it in SQL. */
  rowZod: string;
  rowSql: string;
  /** create / update: the columns as a TS literal for the run-time composer. */
  columnsLiteral: string;
  tenantSql: string | null;
  rowCap: number;
  /** A sample value of each key param, that matches no row (tests). */
  missingKey: string;
}

/** `a"b` -> `"a""b"`. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function queryContext(query: QuerySpec, params: ReadonlyArray<{ name: string }> = []): QueryContext {
  const paged = query.kind === 'list' || (query.kind === 'search' && params.some((p) => p.name === 'after'));
  const table = `${quoteIdent(query.schema)}.${quoteIdent(query.table)}`;
  const byColumn = new Map(query.columns.map((c) => [c.column, c]));
  const col = (name: string): QueryColumnSpec => {
    const found = byColumn.get(name);
    if (!found) throw new Error(`query of ${query.table}: column ${name} is not among its columns`);
    return found;
  };
  const keys = query.key.map(col);
  const rowSql = rowExpression(query.columns);
  const keyOrder = keys.map((k) => `t.${quoteIdent(k.column)}`).join(', ');
  const binds: Array<{ param: string }> = [];
  const bind = (param: string, sqlType: string) => {
    binds.push({ param });
    return `$${binds.length}::text::${sqlType}`;
  };
  let sql = '';
  if (query.kind === 'get') {
    const where = keys.map((k) => `t.${quoteIdent(k.column)} = ${bind(k.param, k.sqlType)}`).join(' AND ');
    sql = `SELECT ${rowSql} AS row FROM ${table} AS t WHERE ${where}`;
  } else if (query.kind === 'list' || query.kind === 'search') {
    const conditions: string[] = [];
    if (query.kind === 'list') {
      for (const filter of query.filters.map(col)) {
        const placeholder = bind(filter.param, filter.sqlType);
        conditions.push(`(${placeholder.replace(/::text::.*$/, '::text')} IS NULL OR t.${quoteIdent(filter.column)} = ${placeholder})`);
      }
    } else {
      const pattern = bind('query', 'text');
      conditions.push(`(${query.search.map(col).map((c) => `t.${quoteIdent(c.column)} ILIKE ${pattern}`).join(' OR ')})`);
    }
    const cursor = keys.map((k) => bind(`after.${k.param}`, k.sqlType));
    conditions.push(`(${cursor[0]!.replace(/::text::.*$/, '::text')} IS NULL OR (${keyOrder}) > (${cursor.join(', ')}))`);
    const limit = bind('limit', 'integer');
    sql = `SELECT ${rowSql} AS row FROM ${table} AS t WHERE ${conditions.join(' AND ')} ORDER BY ${keyOrder} LIMIT ${limit}`;
  }
  const writable = query.columns.map((c) => ({
    column: c.column,
    param: c.param,
    sqlType: c.sqlType,
    key: query.key.includes(c.column),
    readOnly: c.readOnly,
  }));
  return {
    kind: query.kind,
    get: query.kind === 'get',
    list: query.kind === 'list',
    search: query.kind === 'search',
    paged,
    create: query.kind === 'create',
    update: query.kind === 'update',
    table,
    tableName: query.table,
    shared: query.tenant === undefined,
    sql,
    sqlSource: sqlSource(sql),
    binds,
    values: binds.filter((b) => b.param !== 'limit').map((b) => valueExpression(b.param, query.kind, keys, paged)),
    tenantColumn: query.tenant?.column ?? null,
    supportImports: [...SUPPORT_IMPORTS[query.kind], ...(query.kind === 'search' && paged ? ['decodeCursor'] : [])]
      .filter((name) => name !== 'asText' || query.kind !== 'list' || query.filters.length > 0)
      .sort((a, b) => (a < b ? -1 : 1)),
    keyParams: keys.map((k) => k.param),
    rowZod: rowZod(query.columns),
    rowSql,
    columnsLiteral: JSON.stringify(writable),
    tenantSql: query.tenant ? `current_setting('app.tenant_id')::text::${query.tenant.sqlType}` : null,
    rowCap: query.rowCap,
    missingKey: `{ ${keys.map((k) => `${k.param}: ${missingValue(k)}`).join(', ')} }`,
  };
}

function sqlSource(sql: string): string {
  if (sql === '') return "''";
  // Line breaks only between clauses: never inside a quoted identifier that holds a space.
  const identifiers = sql.match(/"(?:[^"]|"")*"/g) ?? [];
  if (/[`\\]|\$\{/.test(sql) || identifiers.some((id) => /\s/.test(id))) return JSON.stringify(sql);
  const lines = sql.replace(/ (FROM|WHERE|AND \(|ORDER BY|LIMIT) /g, '\n     $1 ');
  return `\`\n  ${lines.split('\n').join('\n  ')}\``;
}

/** The row as JSON built by PostgreSQL (both engines return it parsed, the same way), keyed by param name. */
function rowExpression(columns: readonly QueryColumnSpec[]): string {
  const parts: string[] = [];
  // jsonb_build_object takes at most 100 arguments: 50 columns a call.
  for (let i = 0; i < columns.length; i += 50) {
    const pairs = columns.slice(i, i + 50).map((c) => `'${c.param}', t.${quoteIdent(c.column)}`);
    parts.push(`jsonb_build_object(${pairs.join(', ')})`);
  }
  return parts.length === 1 ? parts[0]! : `(${parts.join(' || ')})`;
}

const ZOD_OF: Record<QueryColumnSpec['type'], string> = {
  string: 'z.string()',
  integer: 'z.number().int()',
  number: 'z.number()',
  boolean: 'z.boolean()',
  json: 'z.unknown()',
};

function rowZod(columns: readonly QueryColumnSpec[]): string {
  const fields = columns.map((c) => {
    let zod = ZOD_OF[c.type];
    if (c.nullable && c.type !== 'json') zod += '.nullable()';
    if (c.description) zod += `.describe(${JSON.stringify(c.description)})`;
    return `  ${c.param}: ${zod},`;
  });
  return `z.object({\n${fields.join('\n')}\n})`;
}

const SUPPORT_IMPORTS: Record<QuerySpec['kind'], string[]> = {
  get: ['asText'],
  list: ['asText', 'clampLimit', 'decodeCursor', 'page'],
  search: ['clampLimit', 'likePattern', 'page'],
  create: ['insertRow', 'type TableBinding'],
  update: ['type TableBinding', 'updateRow'],
};

/** What the generated code binds for a parameter of the SQL. */
function valueExpression(param: string, kind: QuerySpec['kind'], keys: readonly QueryColumnSpec[], paged: boolean): string {
  if (param.startsWith('after.')) {
    const index = keys.findIndex((k) => `after.${k.param}` === param);
    return paged ? `after[${index}] ?? null` : 'null';
  }
  if (kind === 'search' && param === 'query') return 'likePattern(input.query)';
  return `asText(input.${param})`;
}

function missingValue(column: QueryColumnSpec): string {
  if (column.type === 'integer' || column.type === 'number') return '-987654321';
  if (column.type === 'boolean') return 'false';
  if (/^uuid$/i.test(column.sqlType)) return "'00000000-0000-0000-0000-00000000dead'";
  if (/^(date|timestamp)/i.test(column.sqlType)) return "'1900-01-02'";
  return "'no-such-key'";
}
