/**
 * The JSON Schema half of contract classification: walks the before and after schema of one
 * tool side by side and reports each difference with its effect on the set of values the
 * schema admits. Whether an effect breaks anyone depends on who produces the values:
 *
 * - input (the client sends): narrowing rejects calls that used to work -> breaking;
 *   widening only accepts more -> minor.
 * - output (the server sends): widening hands clients values they never had to handle ->
 *   breaking (so enum values ADDED to an output are breaking: a client that switches over the
 *   documented values has no branch for the new one); narrowing only sends a subset of what
 *   clients already handle -> minor.
 *
 * Written for what zod 4 emits (draft 2020-12): nullable as `type: [T, "null"]` or
 * `anyOf: [X, {type: "null"}]`, unions as `anyOf`, discriminated unions as `oneOf`, recursive
 * and `.meta({ id })` schemas as local `$ref`s into `$defs`. Anything else that differs is
 * reported as breaking because it cannot be checked (be conservative).
 */

export type ChangeClass = 'breaking' | 'minor' | 'patch';
export type JsonSchema = Record<string, unknown>;
export type SchemaRole = 'input' | 'output';
export interface SchemaChange {
  class: ChangeClass;
  path: string;
  /** Without the tool name and class: `parameter "limit" became required`. */
  message: string;
}

export const UNCHECKABLE = 'changed in a way that cannot be checked automatically';

/** narrow/widen: the admitted set shrank/grew; extend: a new property or marker, minor either way. */
type Effect = 'narrow' | 'widen' | 'extend' | 'incompatible' | 'annotation';
type Obj = Record<string, unknown>;
/** name: the property as an engineer writes it ("filter.status", "ids[]"); note: which union variant. */
interface Loc { path: string; name: string; note?: string | undefined }
interface Ctx { role: SchemaRole; roots: [unknown, unknown]; stack: Set<string>; out: SchemaChange[] }
interface View { schema: Obj | boolean; nullable: boolean; ref?: string; broken?: string }

const ANNOTATIONS = new Set(['title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly', '$comment']);
const IGNORED = new Set(['$schema', '$id', '$anchor', '$defs', 'definitions']);
const COUNTS = { minLength: 'lower', minItems: 'lower', minProperties: 'lower', maxLength: 'upper', maxItems: 'upper', maxProperties: 'upper' } as const;
const HANDLED = new Set([
  ...ANNOTATIONS, ...IGNORED, ...Object.keys(COUNTS), 'type', 'enum', 'const', 'properties', 'required',
  'additionalProperties', 'propertyNames', 'items', 'prefixItems', 'uniqueItems', 'pattern', 'format',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
]);

export function compareSchemas(before: unknown, after: unknown, role: SchemaRole): SchemaChange[] {
  const ctx: Ctx = { role, roots: [before, after], stack: new Set(), out: [] };
  compareNode(before, after, { path: role, name: '' }, ctx);
  return ctx.out;
}

function compareNode(b0: unknown, a0: unknown, loc: Loc, ctx: Ctx): void {
  const b = resolve(b0, ctx.roots[0]);
  const a = resolve(a0, ctx.roots[1]);
  if (b.broken !== undefined || a.broken !== undefined) {
    if (!deepEqual(b0, a0)) emit(ctx, loc, '$ref', 'incompatible', `${UNCHECKABLE} (unresolvable reference ${b.broken ?? a.broken})`);
    return;
  }
  if (b.nullable === a.nullable && deepEqual(b.schema, a.schema)) return;
  // Recursive schemas: stop when this pair of definitions is already being compared further up.
  const key = b.ref !== undefined || a.ref !== undefined ? `${b.ref ?? `@${loc.path}`}|${a.ref ?? `@${loc.path}`}` : undefined;
  if (key !== undefined) {
    if (ctx.stack.has(key)) return;
    ctx.stack.add(key);
  }
  if (b.schema === false || a.schema === false) {
    if (a.schema === false) emit(ctx, loc, undefined, 'narrow', 'no longer accepts any value');
    else if (b.schema === false) emit(ctx, loc, undefined, 'widen', 'now accepts values (it accepted none before)');
  } else if (isUnion(b.schema) || isUnion(a.schema)) {
    compareUnions(b, a, loc, ctx);
  } else {
    comparePlain(asObj(b.schema, b.nullable), asObj(a.schema, a.nullable), loc, ctx);
  }
  if (key !== undefined) ctx.stack.delete(key);
}

/** Follows local `$ref`s and unwraps `anyOf: [X, {type: "null"}]` into X plus a nullable flag. */
function resolve(node: unknown, root: unknown): View {
  let schema: unknown = node;
  let nullable = false;
  let ref: string | undefined;
  for (let hops = 0; hops < 64 && isObj(schema); hops++) {
    const { $ref, ...siblings } = schema;
    if (typeof $ref === 'string') {
      const target = $ref.startsWith('#') ? pointer(root, $ref.slice(1)) : undefined;
      if (target === undefined || (!isObj(target) && typeof target !== 'boolean')) return { schema: {}, nullable, broken: $ref };
      ref = $ref;
      schema = isObj(target) ? { ...target, ...siblings } : target;
      continue;
    }
    const unionKey = unionKeyOf(schema);
    if (unionKey === undefined) break;
    const branches = schema[unionKey] as unknown[];
    const rest = branches.filter((branch) => !isNullSchema(branch));
    if (rest.length === branches.length || rest.length === 0) break;
    nullable = true;
    const { [unionKey]: _union, ...outer } = schema;
    if (rest.length > 1 || 'type' in outer) { schema = { ...outer, [unionKey]: rest }; break; }
    schema = isObj(rest[0]) ? { ...rest[0], ...outer } : rest[0];
  }
  return { schema: typeof schema === 'boolean' ? schema : isObj(schema) ? schema : {}, nullable, ref };
}

function asObj(schema: Obj | boolean, nullable: boolean): Obj {
  const obj = schema === true ? {} : (schema as Obj);
  const types = typeList(obj);
  return nullable && types && !types.includes('null') ? { ...obj, type: [...types, 'null'] } : obj;
}

// ---- plain (non-union) schemas ------------------------------------------------------------

function comparePlain(bs: Obj, as: Obj, loc: Loc, ctx: Ctx): void {
  if (!compareTypes(bs, as, loc, ctx)) return; // disjoint types: the rest would only be noise
  compareValues(bs, as, loc, ctx);
  compareBounds(bs, as, 'lower', loc, ctx);
  compareBounds(bs, as, 'upper', loc, ctx);
  for (const [keyword, side] of Object.entries(COUNTS)) compareCount(bs, as, keyword, side, loc, ctx);
  compareMultipleOf(bs, as, loc, ctx);
  compareMarker(bs, as, 'pattern', loc, ctx);
  compareMarker(bs, as, 'format', loc, ctx);
  if (Boolean(bs.uniqueItems) !== Boolean(as.uniqueItems)) {
    emit(ctx, loc, 'uniqueItems', as.uniqueItems ? 'narrow' : 'widen', as.uniqueItems ? 'now requires unique items' : 'no longer requires unique items');
  }
  compareObject(bs, as, loc, ctx);
  compareArray(bs, as, loc, ctx);
  compareRest(bs, as, loc, ctx, HANDLED);
}

/** Returns false when the types are disjoint. `integer` is a subtype of `number`; no type = any. */
function compareTypes(bs: Obj, as: Obj, loc: Loc, ctx: Ctx): boolean {
  const bt = typeList(bs);
  const at = typeList(as);
  const covered = (t: string, set: string[] | undefined) => !set || set.includes(t) || (t === 'integer' && set.includes('number'));
  const lost = bt ? bt.filter((t) => !covered(t, at)) : at ? ['any'] : [];
  const gained = at ? at.filter((t) => !covered(t, bt)) : bt ? ['any'] : [];
  if (lost.length === 0 && gained.length === 0) return true;
  const from = showTypes(bt);
  const to = showTypes(at);
  if (lost.length > 0 && gained.length > 0) {
    emit(ctx, loc, 'type', 'incompatible', `type changed from ${from} to ${to}`);
    const overlap = !bt || !at || bt.some((t) => covered(t, at)) || at.some((t) => covered(t, bt));
    return overlap;
  }
  if (lost.length > 0) emit(ctx, loc, 'type', 'narrow', `type narrowed from ${from} to ${to}`);
  else emit(ctx, loc, 'type', 'widen', `type widened from ${from} to ${to}`);
  return true;
}

/** `enum` and `const` as one set of allowed values. */
function compareValues(bs: Obj, as: Obj, loc: Loc, ctx: Ctx): void {
  const bv = allowedValues(bs);
  const av = allowedValues(as);
  if (!bv && !av) return;
  const keyword = 'const' in as || (!av && 'const' in bs) ? 'const' : 'enum';
  if (!bv) return emit(ctx, loc, keyword, 'narrow', `is now restricted to ${list(av!)}`);
  if (!av) return emit(ctx, loc, keyword, 'widen', 'is no longer restricted to a fixed set of values');
  const removed = bv.filter((v) => !av.includes(v));
  const added = av.filter((v) => !bv.includes(v));
  if ('const' in bs && 'const' in as && removed.length > 0) {
    return emit(ctx, loc, 'const', 'incompatible', `const changed from ${removed[0]} to ${added[0]}`);
  }
  if (removed.length > 0) emit(ctx, loc, keyword, 'narrow', `enum value${plural(removed)} ${list(removed)} removed`);
  if (added.length > 0) {
    const why = ctx.role === 'output' ? ' (clients may not handle the new value)' : '';
    emit(ctx, loc, keyword, 'widen', `enum value${plural(added)} ${list(added)} added${why}`);
  }
}

interface Bound { value: number; exclusive: boolean; keyword: string }

function compareBounds(bs: Obj, as: Obj, side: 'lower' | 'upper', loc: Loc, ctx: Ctx): void {
  const b = bound(bs, side);
  const a = bound(as, side);
  if (!b && !a) return;
  if (b && a && b.value === a.value && b.exclusive === a.exclusive) return;
  const name = side === 'lower' ? 'minimum' : 'maximum';
  const keyword = (a ?? b)!.keyword;
  if (!b) return emit(ctx, loc, keyword, 'narrow', `${keyword} ${a!.value} added`);
  if (!a) return emit(ctx, loc, keyword, 'widen', `${keyword} removed (was ${b.value})`);
  const sign = side === 'lower' ? 1 : -1;
  const tighter = sign * (a.value - b.value) > 0 || (a.value === b.value && a.exclusive);
  if (b.exclusive === a.exclusive) {
    const moved = (a.value > b.value) ? 'raised' : 'lowered';
    return emit(ctx, loc, keyword, tighter ? 'narrow' : 'widen', `${keyword} ${moved} from ${b.value} to ${a.value}`);
  }
  emit(ctx, loc, keyword, tighter ? 'narrow' : 'widen', `${name} changed from ${showBound(b, side)} to ${showBound(a, side)}`);
}

function compareCount(bs: Obj, as: Obj, keyword: string, side: 'lower' | 'upper', loc: Loc, ctx: Ctx): void {
  const empty = side === 'lower' ? 0 : Infinity;
  const b = typeof bs[keyword] === 'number' ? (bs[keyword] as number) : empty;
  const a = typeof as[keyword] === 'number' ? (as[keyword] as number) : empty;
  if (a === b) return;
  const tighter = side === 'lower' ? a > b : a < b;
  const phrase = b === empty ? `${keyword} ${a} added` : a === empty ? `${keyword} removed (was ${b})` : `${keyword} ${a > b ? 'raised' : 'lowered'} from ${b} to ${a}`;
  emit(ctx, loc, keyword, tighter ? 'narrow' : 'widen', phrase);
}

function compareMultipleOf(bs: Obj, as: Obj, loc: Loc, ctx: Ctx): void {
  const b = bs.multipleOf;
  const a = as.multipleOf;
  if (b === a) return;
  if (typeof b !== 'number') return emit(ctx, loc, 'multipleOf', 'narrow', `multipleOf ${String(a)} added`);
  if (typeof a !== 'number') return emit(ctx, loc, 'multipleOf', 'widen', `multipleOf removed (was ${b})`);
  const effect = Number.isInteger(b / a) ? 'widen' : Number.isInteger(a / b) ? 'narrow' : 'incompatible';
  emit(ctx, loc, 'multipleOf', effect, `multipleOf changed from ${b} to ${a}`);
}

/** pattern / format: adding one narrows, removing widens, changing cannot be compared. */
function compareMarker(bs: Obj, as: Obj, keyword: 'pattern' | 'format', loc: Loc, ctx: Ctx): void {
  const b = bs[keyword];
  const a = as[keyword];
  if (deepEqual(a, b)) return;
  const show = (v: unknown) => (String(v).length <= 40 ? ` ${JSON.stringify(v)}` : '');
  if (b === undefined) emit(ctx, loc, keyword, 'narrow', `${keyword}${show(a)} added`);
  else if (a === undefined) emit(ctx, loc, keyword, 'widen', `${keyword}${show(b)} removed`);
  else emit(ctx, loc, keyword, 'incompatible', `${keyword} changed${show(b) && show(a) ? ` from${show(b)} to${show(a)}` : ''}`);
}

function compareObject(bs: Obj, as: Obj, loc: Loc, ctx: Ctx): void {
  const bp = isObj(bs.properties) ? bs.properties : {};
  const ap = isObj(as.properties) ? as.properties : {};
  const br = requiredSet(bs);
  const ar = requiredSet(as);
  const input = ctx.role === 'input';
  for (const key of sortedUnion(Object.keys(bp), Object.keys(ap), [...br], [...ar])) {
    const child: Loc = { path: `${loc.path}.properties.${key}`, name: loc.name ? `${loc.name}.${key}` : key, note: loc.note };
    const inB = key in bp || br.has(key);
    const inA = key in ap || ar.has(key);
    if (!inA) { emit(ctx, child, undefined, 'incompatible', 'was removed'); continue; }
    if (!inB) {
      if (ar.has(key)) emit(ctx, child, undefined, input ? 'narrow' : 'extend', input ? 'was added as a required parameter' : 'was added');
      else emit(ctx, child, undefined, 'extend', 'was added (optional)');
      continue;
    }
    if (br.has(key) !== ar.has(key)) {
      const nowRequired = ar.has(key);
      const phrase = input
        ? (nowRequired ? 'became required' : 'became optional')
        : (nowRequired ? 'is now always present (became required)' : 'is no longer always present (became optional)');
      emit(ctx, child, undefined, nowRequired ? 'narrow' : 'widen', phrase);
    }
    compareNode(bp[key] ?? true, ap[key] ?? true, child, ctx);
  }
  compareAdditional(bs.additionalProperties, as.additionalProperties, loc, ctx);
  if ('propertyNames' in bs || 'propertyNames' in as) {
    compareNode(bs.propertyNames ?? true, as.propertyNames ?? true, { path: `${loc.path}.propertyNames`, name: loc.name ? `${loc.name} (keys)` : '(keys)', note: loc.note }, ctx);
  }
}

function compareAdditional(b: unknown, a: unknown, loc: Loc, ctx: Ctx): void {
  const closed = (v: unknown) => v === false;
  const open = (v: unknown) => v === undefined || v === true || (isObj(v) && Object.keys(v).length === 0);
  if ((closed(b) && closed(a)) || (open(b) && open(a))) return;
  const where = { ...loc, path: `${loc.path}.additionalProperties` };
  const [no, yes] = ctx.role === 'input' ? ['no longer accepts', 'now accepts'] : ['no longer contains', 'may now contain'];
  if (closed(a)) return emit(ctx, where, undefined, 'narrow', `${no} additional properties`);
  // Clients ignore output properties they do not know, so opening an output object is minor.
  if (closed(b)) return emit(ctx, where, undefined, ctx.role === 'input' ? 'widen' : 'extend', `${yes} additional properties`);
  compareNode(b ?? true, a ?? true, { path: where.path, name: loc.name ? `${loc.name}.*` : '*', note: loc.note }, ctx);
}

function compareArray(bs: Obj, as: Obj, loc: Loc, ctx: Ctx): void {
  if ('items' in bs || 'items' in as) {
    compareNode(bs.items ?? true, as.items ?? true, { path: `${loc.path}.items`, name: `${loc.name}[]`, note: loc.note }, ctx);
  }
  const bp = bs.prefixItems;
  const ap = as.prefixItems;
  if (deepEqual(bp, ap)) return;
  if (!Array.isArray(bp) || !Array.isArray(ap) || bp.length !== ap.length) {
    return emit(ctx, loc, 'prefixItems', 'incompatible', `tuple items ${UNCHECKABLE}`);
  }
  bp.forEach((item, i) => compareNode(item, ap[i], { path: `${loc.path}.prefixItems[${i}]`, name: `${loc.name}[${i}]`, note: loc.note }, ctx));
}

/** Annotations are patch (marking deprecated is minor); any other differing keyword is unknown. */
function compareRest(bs: Obj, as: Obj, loc: Loc, ctx: Ctx, handled: Set<string>): void {
  for (const key of sortedUnion(Object.keys(bs), Object.keys(as))) {
    if (IGNORED.has(key) || deepEqual(bs[key], as[key])) continue;
    if (key === 'deprecated' && as.deprecated === true) emit(ctx, loc, key, 'extend', 'was marked deprecated');
    else if (key === 'default') {
      const phrase = !(key in bs) ? `default ${show(as[key])} added` : !(key in as) ? `default removed (was ${show(bs[key])})` : `default changed from ${show(bs[key])} to ${show(as[key])}`;
      emit(ctx, loc, key, 'annotation', phrase);
    } else if (ANNOTATIONS.has(key)) emit(ctx, loc, key, 'annotation', `${key} changed`);
    else if (!handled.has(key)) emit(ctx, loc, key, 'incompatible', `keyword "${key}" ${UNCHECKABLE}`);
  }
}

// ---- unions -------------------------------------------------------------------------------

function compareUnions(b: View, a: View, loc: Loc, ctx: Ctx): void {
  const bu = branchesOf(b);
  const au = branchesOf(a);
  if (bu.kind && au.kind && bu.kind !== au.kind) {
    return emit(ctx, loc, au.kind, 'incompatible', `union kind (${bu.kind} -> ${au.kind}) ${UNCHECKABLE}`);
  }
  const kind = au.kind ?? bu.kind ?? 'anyOf';
  if (bu.nullable !== au.nullable) {
    emit(ctx, loc, undefined, au.nullable ? 'widen' : 'narrow', au.nullable ? 'is now nullable' : 'is no longer nullable');
  }
  compareRest(bu.outer, au.outer, loc, ctx, new Set());
  // Identical branches match first (order does not matter); leftovers pair up by type and
  // discriminator when that is unambiguous; what is still left was removed or added.
  const same = (x: unknown, y: unknown) => diff(x, y, ctx).length === 0;
  const aUsed = new Set<number>();
  const bLeft: number[] = [];
  bu.branches.forEach((x, i) => {
    const j = au.branches.findIndex((y, k) => !aUsed.has(k) && same(x, y));
    if (j >= 0) aUsed.add(j);
    else bLeft.push(i);
  });
  let aLeft = au.branches.map((_, j) => j).filter((j) => !aUsed.has(j));
  const sig = (x: unknown, root: unknown) => signature(resolve(x, root).schema);
  for (const i of [...bLeft]) {
    const s = sig(bu.branches[i], ctx.roots[0]);
    const bSame = bLeft.filter((k) => sig(bu.branches[k], ctx.roots[0]) === s);
    const aSame = aLeft.filter((k) => sig(au.branches[k], ctx.roots[1]) === s);
    if (bSame.length !== 1 || aSame.length !== 1) continue;
    const j = aSame[0]!;
    compareNode(bu.branches[i], au.branches[j], { path: `${loc.path}.${kind}[${i}]`, name: loc.name, note: `in union variant ${i + 1} (${s})` }, ctx);
    bLeft.splice(bLeft.indexOf(i), 1);
    aLeft = aLeft.filter((k) => k !== j);
  }
  for (const i of bLeft) {
    emit(ctx, { ...loc, path: `${loc.path}.${bu.kind ?? kind}[${i}]` }, undefined, 'narrow', `lost union variant ${i + 1} (${sig(bu.branches[i], ctx.roots[0])})`);
  }
  for (const j of aLeft) {
    emit(ctx, { ...loc, path: `${loc.path}.${kind}[${j}]` }, undefined, 'widen', `gained union variant ${j + 1} (${sig(au.branches[j], ctx.roots[1])})`);
  }
}

/** A union's branches, or a plain schema as branches (one per type of a multi-type `type`). */
function branchesOf(view: View): { kind?: 'anyOf' | 'oneOf'; branches: unknown[]; nullable: boolean; outer: Obj } {
  const schema = view.schema === true ? {} : (view.schema as Obj);
  const kind = unionKeyOf(schema);
  if (kind) {
    const { [kind]: branches, ...outer } = schema;
    return { kind, branches: branches as unknown[], nullable: view.nullable, outer };
  }
  const outer = pick(schema, (key) => ANNOTATIONS.has(key));
  const body = pick(schema, (key) => !ANNOTATIONS.has(key));
  const types = typeList(body);
  const nullable = view.nullable || Boolean(types?.includes('null'));
  if (!types) return { branches: [body], nullable, outer };
  const real = types.filter((t) => t !== 'null');
  return { branches: real.map((type) => ({ ...body, type })), nullable, outer };
}

function signature(schema: Obj | boolean): string {
  if (typeof schema === 'boolean') return String(schema);
  const parts = [showTypes(typeList(schema))];
  const props = isObj(schema.properties) ? schema.properties : {};
  for (const key of Object.keys(props).sort()) {
    const prop = props[key];
    if (isObj(prop) && 'const' in prop) parts.push(`${key}=${show(prop.const)}`);
  }
  return parts.join(', ');
}

// ---- helpers ------------------------------------------------------------------------------

function diff(b: unknown, a: unknown, ctx: Ctx): SchemaChange[] {
  const sub: Ctx = { ...ctx, out: [] };
  compareNode(b, a, { path: '', name: '' }, sub);
  return sub.out;
}

function emit(ctx: Ctx, loc: Loc, keyword: string | undefined, effect: Effect, phrase: string): void {
  const cls: ChangeClass =
    effect === 'incompatible' ? 'breaking'
    : effect === 'annotation' ? 'patch'
    : effect === 'extend' ? 'minor'
    : (effect === 'narrow') === (ctx.role === 'input') ? 'breaking' : 'minor';
  const noun = ctx.role === 'input' ? 'parameter' : 'output field';
  const subject = loc.name ? `${noun} "${loc.name}"` : `the ${ctx.role}`;
  const note = loc.note ? ` ${loc.note}` : '';
  ctx.out.push({ class: cls, path: keyword ? `${loc.path}.${keyword}` : loc.path, message: `${subject}${note} ${phrase}` });
}

/** Lower/upper numeric bound. zod's `.int()` adds +-MAX_SAFE_INTEGER, which limits nothing in JSON. */
function bound(schema: Obj, side: 'lower' | 'upper'): Bound | undefined {
  const [inclusive, exclusive] = side === 'lower' ? ['minimum', 'exclusiveMinimum'] : ['maximum', 'exclusiveMaximum'];
  const safe = side === 'lower' ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  const candidates: Bound[] = [];
  if (typeof schema[inclusive] === 'number' && schema[inclusive] !== safe) candidates.push({ value: schema[inclusive] as number, exclusive: false, keyword: inclusive });
  if (typeof schema[exclusive] === 'number') candidates.push({ value: schema[exclusive] as number, exclusive: true, keyword: exclusive });
  const sign = side === 'lower' ? 1 : -1;
  return candidates.sort((x, y) => sign * (y.value - x.value) || Number(y.exclusive) - Number(x.exclusive))[0];
}

function showBound(b: Bound, side: 'lower' | 'upper'): string {
  return `${side === 'lower' ? '>' : '<'}${b.exclusive ? '' : '='} ${b.value}`;
}

function allowedValues(schema: Obj): string[] | undefined {
  if ('const' in schema) return [show(schema.const)];
  return Array.isArray(schema.enum) ? schema.enum.map(show) : undefined;
}

function typeList(schema: Obj): string[] | undefined {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : undefined;
}

function showTypes(types: string[] | undefined): string {
  return types ? [...types].sort().join(' | ') || 'nothing' : 'any';
}

function requiredSet(schema: Obj): Set<string> {
  return new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
}

function unionKeyOf(schema: Obj): 'anyOf' | 'oneOf' | undefined {
  if (Array.isArray(schema.anyOf) && !('oneOf' in schema)) return 'anyOf';
  if (Array.isArray(schema.oneOf) && !('anyOf' in schema)) return 'oneOf';
  return undefined;
}

function isUnion(schema: Obj | boolean): boolean {
  return typeof schema !== 'boolean' && unionKeyOf(schema) !== undefined;
}

function isNullSchema(schema: unknown): boolean {
  return isObj(schema) && schema.type === 'null' && Object.keys(schema).every((k) => k === 'type' || ANNOTATIONS.has(k));
}

function pointer(root: unknown, fragment: string): unknown {
  let node = root;
  for (const raw of fragment.split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObj(node) || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

function pick(obj: Obj, keep: (key: string) => boolean): Obj {
  return Object.fromEntries(Object.entries(obj).filter(([key]) => keep(key)));
}

function sortedUnion(...lists: string[][]): string[] {
  return [...new Set(lists.flat())].sort(compareText);
}

export function compareText(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isObj(value)) return value;
  return Object.fromEntries(Object.keys(value).sort(compareText).map((key) => [key, canonical(value[key])]));
}

function deepEqual(x: unknown, y: unknown): boolean {
  return JSON.stringify(canonical(x)) === JSON.stringify(canonical(y));
}

function show(value: unknown): string {
  const text = JSON.stringify(canonical(value)) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function list(values: string[]): string {
  return values.join(', ');
}

function plural(values: unknown[]): string {
  return values.length === 1 ? '' : 's';
}
