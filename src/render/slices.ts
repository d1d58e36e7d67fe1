/**
 * Slices: a layer's part of a file that base composes. A layer may hold `slices/<slot>.hbs`
 * (a slot may hold `/`: `config/schema`, `readme/how-it-is-built`); they are never written as
 * files. In any template, `{{> slot}}` renders that slot of every selected layer, in layer order
 * (backends in BACKEND_KINDS order), concatenated; `{{> layer:slot}}` renders one layer's (`{{> backend/postgres:tool/handler}}`),
 * nothing when that layer is not selected or leaves the slot empty; `{{> (concat "backend/" tool.backend ":tool/handler")}}`
 * names one at render time. A slot no layer of the templates folder provides is an error, so a
 * misspelt name never renders as nothing.
 */
import { readdirSync } from 'node:fs';
import { compileTemplate, type CompiledTemplate, type PrecompiledTemplates, type RenderOptions } from './handlebars-env.js';
import type { TemplatesManifest } from './templates-manifest.js';

export const SLICES_DIR = 'slices/';

/** A slice's template path in its layer (`slices/config/schema.hbs`) -> its slot (`config/schema`). */
export function slotOf(layerPath: string): string | undefined {
  if (!layerPath.startsWith(SLICES_DIR) || !layerPath.endsWith('.hbs')) return undefined;
  return layerPath.slice(SLICES_DIR.length, -'.hbs'.length);
}

/**
 * Every slot each layer of a templates folder provides, selected or not: layer id -> slots.
 * Read from the folder's manifest when it has one (src/render/templates-manifest.ts).
 */
export async function knownSlots(templatesDir: string, manifest?: TemplatesManifest): Promise<Map<string, Set<string>>> {
  const known = new Map<string, Set<string>>();
  const files = manifest ? [...manifest.paths] : readdirSync(templatesDir, { recursive: true, encoding: 'utf8' }).map((f) => f.split('\\').join('/'));
  for (const file of files.sort()) {
    const at = file.indexOf(`/${SLICES_DIR}`);
    if (at < 0) continue;
    const slot = slotOf(file.slice(at + 1));
    if (slot === undefined) continue;
    const layer = file.slice(0, at);
    if (!known.has(layer)) known.set(layer, new Set());
    known.get(layer)!.add(slot);
  }
  return known;
}

export interface SliceSource {
  /** Layer id: `base`, `auth/jwt`, `backend/postgres`. */
  id: string;
  /** slot -> template source. */
  slices: Map<string, string>;
  /** The build's precompiled templates of the layer, if any. */
  precompiled?: PrecompiledTemplates;
}

type Partial = (context: unknown, options: RenderOptions) => string;

/**
 * The partials a render passes to every template: each known slot composed over the selected
 * layers (in the order given), and each known `layer:slot` alone.
 */
export function slicePartials(selected: SliceSource[], known: Map<string, Set<string>>): Record<string, Partial> {
  const compiled = new Map<string, CompiledTemplate>();
  const render = (layer: SliceSource, slot: string, context: unknown, options: RenderOptions): string => {
    const source = layer.slices.get(slot);
    if (source === undefined) return '';
    const key = `${layer.id}:${slot}`;
    let template = compiled.get(key);
    if (!template) {
      template = compileTemplate(source, `${layer.id}/${SLICES_DIR}${slot}.hbs`, layer.precompiled);
      compiled.set(key, template);
    }
    return template(context as object, { data: options.data, partials: options.partials });
  };
  const slots = new Set([...known.values()].flatMap((layerSlots) => [...layerSlots]));
  const ids = new Set([...known.keys(), ...selected.map((l) => l.id)]);
  const byId = new Map(selected.map((layer) => [layer.id, layer]));
  // Some 1,300 `layer:slot` partials a render, most of a layer not selected: one function for those.
  const nothing: Partial = () => '';
  const partials: Record<string, Partial> = {};
  for (const slot of slots) {
    partials[slot] = (context, options) => selected.map((layer) => render(layer, slot, context, options)).join('');
    for (const id of ids) {
      const layer = byId.get(id);
      partials[`${id}:${slot}`] = layer ? (context, options) => render(layer, slot, context, options) : nothing;
    }
  }
  return partials;
}
