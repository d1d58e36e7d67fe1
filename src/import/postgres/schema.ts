/** A PostgreSQL schema as the import reads it from the catalog (catalog.ts), whatever the source. */

export interface DbColumn {
  name: string;
  /** The type for casts: format_type without its modifier, a domain as its base type (`character varying`). */
  sqlType: string;
  /** The type for CREATE TABLE, with its modifier (`character varying(80)`). */
  ddlType: string;
  /** The base type's name (`int4`, `text`, `jsonb`) and pg_type category (`S` string, `N` numeric, `A` array …). */
  baseType: string;
  category: string;
  notNull: boolean;
  /** The default expression, or null. */
  defaultSql: string | null;
  /** '' none, 'a' always, 'd' by default. */
  identity: string;
  /** '' none, 's' stored. */
  generated: string;
  comment: string | null;
}

export interface DbConstraint {
  name: string;
  /** p primary key, u unique, c check. */
  type: string;
  definition: string;
  columns: string[];
}

export interface DbIndex {
  name: string;
  definition: string;
  /** The index of a primary key or unique constraint (created with it). */
  constraintIndex: boolean;
  columns: string[];
}

export interface DbTable {
  name: string;
  comment: string | null;
  columns: DbColumn[];
  constraints: DbConstraint[];
  indexes: DbIndex[];
}

export interface DbEnum {
  name: string;
  labels: string[];
}

export interface DbSchema {
  schema: string;
  tables: DbTable[];
  enums: DbEnum[];
}

export function primaryKey(table: DbTable): string[] {
  return table.constraints.find((c) => c.type === 'p')?.columns ?? [];
}
