/**
 * An in-memory, tenant-scoped sample backend: a working stand-in for your real system.
 *
 * `SampleStore` holds every tenant's records and is only touched by src/backends/index.ts; tool
 * handlers get a `SampleBackend` from `forTenant`, whose methods are bound to one tenant and have
 * no parameter that could name another. Data lives in this process only and resets on restart.
 */
import { ToolError } from '../../tool-model/tool-error.js';
import { elapsedMs, type BackendScope } from '../backend-scope.js';
import type { NewRecord, RecordKind, RecordPatch, RecordQuery, SampleRecord } from './records.js';
import { seedRecordsFor } from './seed.js';

/** One tenant's view: the only API tool handlers see. */
export interface SampleBackend {
  search(query?: RecordQuery): Promise<SampleRecord[]>;
  get(id: string): Promise<SampleRecord | undefined>;
  create(record: NewRecord): Promise<SampleRecord>;
  /** `undefined` when the tenant has no record with this id. */
  update(id: string, patch: RecordPatch): Promise<SampleRecord | undefined>;
}

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 100;
const ID_PREFIX: Record<RecordKind, string> = { customer: 'cus', order: 'ord', note: 'note' };

interface TenantData {
  records: Map<string, SampleRecord>;
  nextId: number;
}

export class SampleStore {
  private readonly tenants = new Map<string, TenantData>();

  /**
   * `scope.access` `read` (a read tool): `create` and `update` are refused with `[read_only]`.
   * Each call is reported to `scope.onCall`, so the audit record lists it as it would a real
   * backend's.
   */
  forTenant(tenantId: string, scope: BackendScope = { access: 'write' }): SampleBackend {
    const data = () => this.dataFor(tenantId);
    const writable = () => {
      if (scope.access !== 'write') throw new ToolError('read_only', 'This tool only reads data; it cannot change anything.');
      return data();
    };
    const reported = <T>(operation: keyof SampleBackend, work: () => T): Promise<T> => {
      const started = performance.now();
      try {
        const result = work();
        scope.onCall?.({ backend: 'sample', operation, outcome: 'ok', latencyMs: elapsedMs(started) });
        return Promise.resolve(result);
      } catch (error) {
        const errorCode = error instanceof ToolError ? error.code : 'internal_error';
        scope.onCall?.({ backend: 'sample', operation, outcome: 'error', errorCode, latencyMs: elapsedMs(started) });
        return Promise.reject(error);
      }
    };
    return {
      search: (query = {}) => reported('search', () => search(data(), query)),
      get: (id) => reported('get', () => copy(data().records.get(id))),
      create: (record) => reported('create', () => create(writable(), record)),
      update: (id, patch) => reported('update', () => update(writable(), id, patch)),
    };
  }

  /** Readiness: an in-memory store is ready as soon as it exists. A real backend pings here. */
  async isReady(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.tenants.clear();
  }

  private dataFor(tenantId: string): TenantData {
    let data = this.tenants.get(tenantId);
    if (!data) {
      const records = seedRecordsFor(tenantId);
      data = { records: new Map(records.map((record) => [record.id, record])), nextId: 1 };
      this.tenants.set(tenantId, data);
    }
    return data;
  }
}

function search(data: TenantData, query: RecordQuery): SampleRecord[] {
  const words = (query.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
  const hits: SampleRecord[] = [];
  for (const record of data.records.values()) {
    if (query.kind && record.kind !== query.kind) continue;
    const haystack = [record.id, record.title, record.status, ...Object.values(record.attributes).flat().map(String)]
      .join(' ')
      .toLowerCase();
    if (words.every((word) => haystack.includes(word))) hits.push(structuredClone(record));
    if (hits.length >= limit) break;
  }
  return hits;
}

function create(data: TenantData, input: NewRecord): SampleRecord {
  const now = new Date().toISOString();
  const id = `${ID_PREFIX[input.kind]}_new_${String(data.nextId++).padStart(4, '0')}`;
  const record: SampleRecord = {
    id,
    kind: input.kind,
    title: input.title,
    status: input.status ?? 'open',
    attributes: structuredClone(input.attributes ?? {}),
    createdAt: now,
    updatedAt: now,
  };
  data.records.set(id, record);
  return structuredClone(record);
}

function update(data: TenantData, id: string, patch: RecordPatch): SampleRecord | undefined {
  const record = data.records.get(id);
  if (!record) return undefined;
  if (patch.title !== undefined) record.title = patch.title;
  if (patch.status !== undefined) record.status = patch.status;
  if (patch.attributes) record.attributes = { ...record.attributes, ...structuredClone(patch.attributes) };
  record.updatedAt = new Date().toISOString();
  return structuredClone(record);
}

function copy(record: SampleRecord | undefined): SampleRecord | undefined {
  return record && structuredClone(record);
}
