/**
 * spec -> FileTree: layers the selected template folders, renders `.hbs` files with the
 * context, computes package.json and the contract lock. The project's files only: the commands
 * add the repo's state files (src/commands/render-repo.ts).
 */
import type { CompleteProjectSpec } from '../spec/tool-defaults.js';
import { BACKEND_KINDS, type BackendKind } from '../spec/project-spec.js';
import { FileTree } from './file-tree.js';
import { compileTemplate, type CompiledTemplate, type RenderOptions as TemplateOptions } from './handlebars-env.js';
import { knownSlots, slicePartials } from './slices.js';
import { IMPORT_POSTGRES_LAYER_ID, loadLayer, OPERATION_LAYER_ID, packagedTemplatesManifest, PROMPT_LAYER_ID, repoLayerIds, RESOURCE_LAYER_ID, TOOL_LAYER_ID, TEMPLATES_DIR, type Layer } from './layers.js';
import { renderContext, type RenderContext } from './context.js';
import { packageJson } from './package-json.js';
import { LOCK_FILE, lockText, toolsLock } from '../contract/tools-lock.js';

export interface RenderOptions {
  templatesDir?: string;
}

export async function renderProject(spec: CompleteProjectSpec, options: RenderOptions = {}): Promise<FileTree> {
  const templatesDir = options.templatesDir ?? TEMPLATES_DIR;
  const layers = await Promise.all(repoLayerIds(spec).map((id) => loadLayer(id, templatesDir)));
  // The resource and prompt layers only for a spec that lists some.
  const [toolLayer, operationLayer, resourceLayer, promptLayer] = await Promise.all([
    loadLayer(TOOL_LAYER_ID, templatesDir),
    spec.tools.some((tool) => tool.http) ? loadLayer(OPERATION_LAYER_ID, templatesDir) : undefined,
    spec.resources.length > 0 ? loadLayer(RESOURCE_LAYER_ID, templatesDir) : undefined,
    spec.prompts.length > 0 ? loadLayer(PROMPT_LAYER_ID, templatesDir) : undefined,
  ]);
  const itemLayers = [resourceLayer, promptLayer].filter((layer): layer is Layer => layer !== undefined);
  const context = renderContext(spec);
  const tree = new FileTree();
  // Every template composes the selected layers' slices, in layer order (src/render/slices.ts).
  const templateOptions = { partials: slicePartials(sliceOrder([...layers, toolLayer, ...itemLayers]), await knownSlots(templatesDir, packagedTemplatesManifest(templatesDir))) };

  for (const layer of layers) renderLayer(tree, layer, context, templateOptions);
  // An imported tool's files come from the operation layer: merged, so a re-import brings the
  // document's changes into them and keeps the user's edits.
  // A catalog's three tools come from the catalog layer (a repo layer).
  const catalogTools = new Set(spec.tools.filter((tool) => tool.catalogRole).map((tool) => tool.name));
  for (const tool of context.tools) {
    if (!catalogTools.has(tool.name)) renderLayer(tree, tool.http ? operationLayer! : toolLayer, { ...context, tool }, templateOptions);
  }
  // A tool imported from a database: its own tool file, test and managed query over the tool layer's.
  const imported = context.tools.filter((tool) => tool.query);
  const importLayer = imported.length > 0 ? await loadLayer(IMPORT_POSTGRES_LAYER_ID, templatesDir) : undefined;
  for (const tool of imported) renderLayer(tree, importLayer!, { ...context, tool }, templateOptions);
  for (const resource of context.resources) renderLayer(tree, resourceLayer!, { ...context, resource }, templateOptions);
  for (const prompt of context.prompts) renderLayer(tree, promptLayer!, { ...context, prompt }, templateOptions);

  tree.set('package.json', { contents: packageJson(spec, [...layers, toolLayer]), class: 'merged' });
  // Scaffold: once written, the repo's `npm run contract -- --update` maintains the lock.
  tree.set(LOCK_FILE, { contents: lockText(toolsLock(spec)), class: 'scaffold' });
  return tree;
}

/**
 * The order slices compose in: layer order, with the backends in BACKEND_KINDS order rather than
 * the spec's, so that listing a spec's backends in another order moves no text.
 */
function sliceOrder(layers: Layer[]): Layer[] {
  const rank = (id: string) => (id.startsWith('backend/') ? BACKEND_KINDS.indexOf(id.slice('backend/'.length) as BackendKind) : -1);
  const backends = layers.filter((l) => rank(l.id) >= 0).sort((a, b) => rank(a.id) - rank(b.id));
  return layers.map((l) => (rank(l.id) >= 0 ? backends.shift()! : l));
}

const compiled = new WeakMap<Layer['files'][number], CompiledTemplate>();

function renderLayer(tree: FileTree, layer: Layer, context: RenderContext, options: TemplateOptions): void {
  for (const file of layer.files) {
    const path = outputPath(file.path, context);
    let contents = file.contents;
    if (file.path.endsWith('.hbs')) {
      let template = compiled.get(file);
      if (!template) {
        template = compileTemplate(file.contents, `${layer.id}/${file.path}`, layer.precompiled);
        compiled.set(file, template);
      }
      contents = template(context, options);
    }
    tree.set(path, { contents, class: layer.classOf(path), ...(file.executable ? { mode: 0o755 } : {}) });
  }
}

/** Template path -> repo path: drop `.hbs`, `_gitignore` -> `.gitignore`, `__tool__` (`__resource__`, `__prompt__`) -> file name. */
export function outputPath(templatePath: string, context: Pick<RenderContext, 'tool' | 'resource' | 'prompt'>): string {
  return templatePath
    .replace(/\.hbs$/, '')
    .split('/')
    .map((segment) => {
      if (segment === '_gitignore') return '.gitignore';
      if (segment.includes('__tool__')) {
        if (!context.tool) throw new Error(`${templatePath}: __tool__ outside the tool layer`);
        return segment.replace(/__tool__/g, context.tool.fileName);
      }
      if (segment.includes('__resource__')) {
        if (!context.resource) throw new Error(`${templatePath}: __resource__ outside the resource layer`);
        return segment.replace(/__resource__/g, context.resource.fileName);
      }
      if (segment.includes('__prompt__')) {
        if (!context.prompt) throw new Error(`${templatePath}: __prompt__ outside the prompt layer`);
        return segment.replace(/__prompt__/g, context.prompt.fileName);
      }
      return segment;
    })
    .join('/');
}
