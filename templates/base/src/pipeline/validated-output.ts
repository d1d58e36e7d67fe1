/**
 * A structured result is checked against its tool's outputSchema once per call. Whatever has
 * already proven part of it is not proven again:
 *
 *   - the whole result: the pipeline checked it (run-handler.ts, response-budget.ts) and marked
 *     it (markOutputChecked). The SDK checks every result's structuredContent against the schema
 *     the tool was registered with, the same zod schema (server.ts): for an object the pipeline
 *     checked and no stage replaced since (redaction makes a new one), that second check is the
 *     first one again, so it is skipped (isOutputChecked);
 *   - one field of it: the code that built the result checked that field's value against a
 *     schema and said so (markFieldChecked). An imported tool's `data` is the API's answer,
 *     which callOperation (backends/http/operation.ts) checked against the operation's `answer`;
 *     the tool's outputSchema declares `data: answer.optional()`, so the pipeline's check
 *     (checkOutput) checks the other fields and takes `data` as it is, instead of parsing the
 *     answer a second time.
 *
 * Proofs go by identity: a proof holds for the very object it was made on, whose field still
 * holds the very value that was checked, and only where the outputSchema gives that field the
 * very schema the value passed. Anything that replaces the result or the field (a handler that
 * builds its own result from the answer, the response budget's cut, redaction) makes a value
 * with no proof, checked in full as any other. A handler that edits the answer in place rather
 * than building a new one is not seen: change an answer by copying it.
 *
 * Held weakly: nothing here outlives its result.
 */
import type { z } from 'zod';

const checked = new WeakSet<object>();

/** `value` (zod's output of a successful check) matches its tool's outputSchema. */
export function markOutputChecked<T extends object>(value: T): T {
  checked.add(value);
  return value;
}

export function isOutputChecked(value: unknown): boolean {
  return typeof value === 'object' && value !== null && checked.has(value);
}

/** A field of a result whose value passed a schema's check (markFieldChecked). */
interface FieldProof {
  field: string;
  value: unknown;
  schema: z.ZodType;
}

const fieldProofs = new WeakMap<object, FieldProof>();

/**
 * `result[field]` passed `schema`'s check, and is zod's output of it: a later check of `result`
 * against an outputSchema that gives `field` this schema (optional or not) takes the value as
 * it is, as long as `result[field]` is still that value.
 */
export function markFieldChecked<T extends object>(result: T, field: keyof T & string, schema: z.ZodType): T {
  fieldProofs.set(result, { field, value: result[field], schema });
  return result;
}

/**
 * The pipeline's check of a tool's structured result against its outputSchema: zod's
 * `safeParse`, the same success and the same issues, without parsing a field again whose value
 * was already proven against the schema the outputSchema gives it (see the header).
 */
export function checkOutput(schema: z.ZodObject, value: unknown): z.ZodSafeParseResult<Record<string, unknown>> {
  const proof = typeof value === 'object' && value !== null ? fieldProofs.get(value) : undefined;
  if (proof === undefined || proof.value === undefined) return schema.safeParse(value);
  const record = value as Record<string, unknown>;
  const rest = proof.value === record[proof.field] && provenBy(schema, proof) ? withoutField(schema, proof.field) : undefined;
  if (rest === undefined) return schema.safeParse(value);
  const others = rest.safeParse(value);
  if (!others.success) return others;
  // zod's output, in the outputSchema's order of fields: the proven value in its place.
  const data: Record<string, unknown> = {};
  for (const key of Object.keys(schema.shape)) {
    if (key === proof.field) data[key] = proof.value;
    else if (key in others.data) data[key] = others.data[key];
  }
  return { success: true, data };
}

/** The outputSchema gives the proof's field the schema its value passed (possibly optional). */
function provenBy(schema: z.ZodObject, proof: FieldProof): boolean {
  const field = (schema.shape as Record<string, z.ZodType | undefined>)[proof.field];
  if (field === undefined) return false;
  if (field === proof.schema) return true;
  const def = field._zod.def as { type: string; innerType?: unknown };
  return def.type === 'optional' && def.innerType === proof.schema;
}

/** Per outputSchema and field: the schema of its other fields, or null where that is not the same check. */
const rests = new WeakMap<z.ZodObject, Map<string, z.ZodObject | null>>();

/**
 * `schema` without `field`: the check of everything but that field. Only for a plain object
 * schema (unknown keys stripped, no refinement of the whole object), where checking the fields
 * one by one is the whole check; for any other, null, and the result is checked in full.
 */
function withoutField(schema: z.ZodObject, field: string): z.ZodObject | undefined {
  let byField = rests.get(schema);
  if (!byField) {
    byField = new Map();
    rests.set(schema, byField);
  }
  let rest = byField.get(field);
  if (rest === undefined) {
    const def = schema._zod.def as { catchall?: unknown; checks?: unknown[] };
    rest = def.catchall === undefined && (def.checks?.length ?? 0) === 0 ? (schema.omit({ [field]: true } as never) as z.ZodObject) : null;
    byField.set(field, rest);
  }
  return rest ?? undefined;
}
