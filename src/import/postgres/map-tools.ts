/**
 * schema + overlay -> tool specs: for each chosen table get_, list_ and search_ (and create_ and
 * update_ when writes are asked for, with approval "human"), each with its `query` binding, so the
 * templates write the query and a re-render needs no database. Refuses what it cannot import
 * safely: an unknown table, a table without the tenant column that is not shared reference data,
 * a table without a primary key.
 */
import type { ParamSpec, PostgresImportSpec, QueryColumnSpec, QuerySpec, ToolSpec } from '../../spec/project-spec.js';
import { SpecError } from '../../spec/issues.js';
import { paramName, plural, singular, snake, toolName } from './names.js';
import { primaryKey, type DbColumn, type DbSchema, type DbTable } from './schema.js';

/** The tool entry the import writes into mcp-gen.json (the input shape: defaults filled by parse). */
export type ImportedTool = Omit<ToolSpec, 'version' | 'approval' | 'access'> & {
  access: ToolSpec['access'];
  approval: ToolSpec['approval'];
  query: QuerySpec;
};

export interface ImportPlan {
  tools: ImportedTool[];
  /** Chosen tables, each tenant-scoped or shared. */
  tables: Array<{ table: DbTable; shared: boolean }>;
}

/** How a refused field is named to the user (a flag, or mcp-gen.json's postgresImport). */
export type OverlayLabel = (field: 'tables' | 'tenantColumn' | 'shared' | 'overrides') => string;

export const DEFAULT_LIMIT = 25;

export function mapSchema(schema: DbSchema, overlay: PostgresImportSpec, label: OverlayLabel): ImportPlan {
  const byName = new Map(schema.tables.map((t) => [t.name, t]));
  const problems: string[] = [];
  const names = overlay.tables ?? schema.tables.map((t) => t.name).filter((name) => !name.startsWith('mcp_'));
  const known = schema.tables.map((t) => t.name).join(', ') || 'none';
  for (const name of names) {
    if (!byName.has(name)) problems.push(`${label('tables')}: "${name}" is not a table of schema "${schema.schema}" (its tables: ${known})`);
  }
  for (const name of overlay.shared) {
    if (!names.includes(name)) problems.push(`${label('shared')}: "${name}" is not among the imported tables (${names.join(', ') || 'none'})`);
  }
  const tables: ImportPlan['tables'] = [];
  for (const name of names) {
    const table = byName.get(name);
    if (!table) continue;
    const shared = overlay.shared.includes(name);
    const hasTenant = table.columns.some((c) => c.name === overlay.tenantColumn);
    if (!shared && !hasTenant) {
      problems.push(
        `${label('tenantColumn')}: table "${name}" has no column "${overlay.tenantColumn}"; name the tenant column, mark the table shared reference data (read-only) with --shared ${name}, or leave it out`,
      );
      continue;
    }
    if (shared && hasTenant) {
      problems.push(`${label('shared')}: table "${name}" has the tenant column "${overlay.tenantColumn}", so it is not shared reference data; import it as a tenant table`);
      continue;
    }
    const key = primaryKey(table).filter((c) => c !== overlay.tenantColumn);
    if (key.length === 0) {
      problems.push(`${label('tables')}: table "${name}" has no primary key (besides the tenant column); get_ and list_ find and page rows by it: add one, or leave the table out`);
      continue;
    }
    tables.push({ table, shared });
  }
  if (problems.length > 0) throw new SpecError(problems);

  // Names are a function of the table's name alone, so a re-import gives every tool the name it had.
  const first = tables.flatMap(({ table, shared }) => tableTools(schema.schema, table, shared, overlay, new Set()));
  const counts = new Map<string, number>();
  for (const tool of first) counts.set(tool.name, (counts.get(tool.name) ?? 0) + 1);
  const clashes = new Set([...counts].filter(([, n]) => n > 1).map(([name]) => name));
  const tools = clashes.size === 0 ? first : tables.flatMap(({ table, shared }) => tableTools(schema.schema, table, shared, overlay, clashes));
  const imported = new Set(tools.map((t) => t.name));
  for (const name of Object.keys(overlay.overrides)) {
    if (!imported.has(name)) problems.push(`${label('overrides')}: "${name}" is not a tool this import makes (${[...imported].join(', ')})`);
  }
  if (problems.length > 0) throw new SpecError(problems);
  return { tools: tools.map((tool) => applyOverride(tool, overlay)), tables };
}

function applyOverride(tool: ImportedTool, overlay: PostgresImportSpec): ImportedTool {
  const override = overlay.overrides[tool.name];
  if (!override) return tool;
  return {
    ...tool,
    ...(override.name ? { name: override.name } : {}),
    ...(override.description ? { description: override.description } : {}),
    ...(override.scopes ? { scopes: override.scopes } : {}),
    ...(override.rateLimit ? { rateLimit: override.rateLimit } : {}),
  };
}

const TEXT_TYPES = new Set(['text', 'varchar', 'bpchar', 'citext', 'name']);

function columnType(column: DbColumn): QueryColumnSpec['type'] {
  if (['int2', 'int4', 'int8'].includes(column.baseType)) return 'integer';
  if (['numeric', 'float4', 'float8'].includes(column.baseType)) return 'number';
  if (column.baseType === 'bool') return 'boolean';
  if (['json', 'jsonb'].includes(column.baseType) || column.category === 'A') return 'json';
  return 'string';
}

function paramType(type: QueryColumnSpec['type']): ParamSpec['type'] {
  return type === 'json' ? 'string' : type;
}

function tableTools(schemaName: string, table: DbTable, shared: boolean, overlay: PostgresImportSpec, clashes: ReadonlySet<string>): ImportedTool[] {
  const tenant = shared ? undefined : table.columns.find((c) => c.name === overlay.tenantColumn)!;
  const taken = new Set<string>();
  const columns: QueryColumnSpec[] = table.columns
    .filter((c) => c !== tenant)
    .map((c) => {
      let param = paramName(c.name);
      for (let n = 2; taken.has(param); n++) param = `${paramName(c.name).slice(0, 60)}_${n}`;
      taken.add(param);
      const type = columnType(c);
      return {
        column: c.name,
        param,
        sqlType: c.sqlType,
        type,
        nullable: !c.notNull,
        description: (c.comment ?? '').trim().slice(0, 1000),
        defaulted: c.defaultSql !== null || c.identity !== '' || c.generated !== '',
        readOnly: c.generated !== '' || c.identity === 'a',
      };
    });
  const byColumn = new Map(columns.map((c) => [c.column, c]));
  const key = primaryKey(table).filter((c) => c !== overlay.tenantColumn);
  const keyColumns = key.map((k) => byColumn.get(k)!);
  // A column naming a tenant is never an argument: the tenant comes from the credential.
  const argument = (c: QueryColumnSpec) => !/tenant/i.test(c.column) && !/tenant/i.test(c.param);
  const filters = [
    ...new Set(
      table.indexes
        .map((index) => index.columns.find((c) => c !== overlay.tenantColumn))
        .filter((c): c is string => c !== undefined && !(key.length === 1 && c === key[0])),
    ),
  ]
    .map((c) => byColumn.get(c))
    .filter((c): c is QueryColumnSpec => c !== undefined && c.type !== 'json' && argument(c));
  const searchable = table.columns
    .filter((c) => c !== tenant && TEXT_TYPES.has(c.baseType) && c.category === 'S')
    .map((c) => byColumn.get(c.name)!)
    .filter(argument);

  const entity = snake(schemaName === 'public' ? table.name : `${schemaName}_${table.name}`);
  const one = singular(entity);
  const many = one === entity ? plural(entity) : entity;
  const words = (s: string) => s.replace(/_/g, ' ');
  const about = table.comment?.trim() ? ` ${sentence(table.comment.trim())}` : '';
  const scope = shared ? ' Reference data, the same for every tenant.' : " Only the caller's tenant's rows.";
  const ddlType = new Map(table.columns.map((c) => [c.name, c.ddlType]));
  const describe = (c: QueryColumnSpec) => c.description || `The ${words(c.column)} column (${ddlType.get(c.column)}).`;
  const asParam = (c: QueryColumnSpec, required: boolean): ParamSpec => ({ name: c.param, type: paramType(c.type), description: describe(c), required });
  const keyList = keyColumns.map((c) => c.param).join(' and ');
  // What a row holds, in the model's first read of the tool (and what tells two tables' tools apart).
  const fields = ` A row has ${columns.slice(0, 12).map((c) => c.param).join(', ')}${columns.length > 12 ? ' and more' : ''}.`;
  const rowCap = overlay.rowCap;
  const binding = (kind: QuerySpec['kind'], extra: Partial<QuerySpec> = {}): QuerySpec => ({
    schema: schemaName,
    table: table.name,
    kind,
    ...(tenant ? { tenant: { column: tenant.name, sqlType: tenant.sqlType } } : {}),
    key,
    columns,
    filters: [],
    search: [],
    rowCap,
    ...extra,
  });
  // Two tables whose names differ only in number (person, persons) take their own names instead.
  const named = (_kind: QuerySpec['kind'], name: string) => (clashes.has(name) ? toolName(name.slice(0, name.indexOf('_')), entity) : name);
  const limit: ParamSpec = { name: 'limit', type: 'integer', description: `At most this many rows (default ${DEFAULT_LIMIT}, at most ${rowCap}).`, required: false };

  const tools: ImportedTool[] = [
    {
      name: named('get', toolName('get', one)),
      title: `Get ${words(one)}`,
      description: `Get one ${words(one)} by its ${keyList}.${about}${scope}${fields} Returns the row, or not_found when there is none with that key.`,
      access: 'read',
      approval: 'none',
      backend: 'postgres',
      params: keyColumns.map((c) => asParam(c, true)),
      query: binding('get'),
    },
    {
      name: named('list', toolName('list', many)),
      title: `List ${words(many)}`,
      description:
        `List ${words(many)} page by page, in ${keyList} order${filters.length ? `, optionally only those with the given ${filters.map((c) => c.param).join(', ')}` : ''}.${about}${scope}${fields}` +
        ` Returns the rows and nextCursor: pass it as after for the next page.`,
      access: 'read',
      approval: 'none',
      backend: 'postgres',
      params: [
        ...filters.map((c) => asParam(c, false)),
        limit,
        { name: 'after', type: 'string', description: 'The nextCursor of the previous page; omit it for the first page.', required: false },
      ],
      query: binding('list', { filters: filters.map((c) => c.column) }),
    },
  ];
  if (searchable.length > 0) {
    tools.push({
      name: named('search', toolName('search', many)),
      title: `Search ${words(many)}`,
      description:
        `Search ${words(many)} whose ${searchable.map((c) => c.param).join(', ')} contain the given text, ignoring case, page by page in ${keyList} order. Use it to find rows by a name or a word when the key is not known.${about}${scope}${fields}` +
        ` Returns the matching rows and nextCursor: pass it as after for the next page.`,
      access: 'read',
      approval: 'none',
      backend: 'postgres',
      params: [
        { name: 'query', type: 'string', description: 'The text to find, anywhere in those columns.', required: true },
        limit,
        { name: 'after', type: 'string', description: 'The nextCursor of the previous page (of the same query); omit it for the first page.', required: false },
      ],
      query: binding('search', { search: searchable.map((c) => c.column) }),
    });
  }
  if (overlay.writes && !shared) {
    const writable = columns.filter((c) => !c.readOnly && argument(c));
    tools.push(
      {
        name: named('create', toolName('create', one)),
        title: `Create ${words(one)}`,
        description: `Create a ${words(one)} in the caller's tenant.${about} Each call waits for a human approver's grant. Returns the row as stored.`,
        access: 'write',
        approval: 'human',
        backend: 'postgres',
        params: writable.map((c) => asParam(c, !c.nullable && !c.defaulted)),
        query: binding('create'),
      },
      {
        name: named('update', toolName('update', one)),
        title: `Update ${words(one)}`,
        description: `Update the ${words(one)} with the given ${keyList}: only the fields given change.${about}${fields} Each call waits for a human approver's grant. Returns the row as stored, or not_found.`,
        access: 'write',
        approval: 'human',
        backend: 'postgres',
        params: [...keyColumns.map((c) => asParam(c, true)), ...writable.filter((c) => !key.includes(c.column)).map((c) => asParam(c, false))],
        query: binding('update'),
      },
    );
  }
  return tools;
}

/** A comment as a sentence: trimmed, capitalised, ending in a full stop, at most 1000 characters. */
function sentence(text: string): string {
  const one = text.replace(/\s+/g, ' ').slice(0, 1000);
  const capital = one.charAt(0).toUpperCase() + one.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
