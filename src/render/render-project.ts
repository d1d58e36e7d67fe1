/**
 * spec -> FileTree: layers the selected template folders, renders `.hbs` files with the
 * context, computes package.json and the contract lock. The project's files only: the commands
 * add the repo's state files (src/commands/render-repo.ts).
 */
import type { CompleteProjectSpec } from '../spec/tool-defaults.js';
import { FileTree } from './file-tree.js';
import { compileTemplate, type CompiledTemplate } from './handlebars-env.js';
import { loadLayer, repoLayerIds, TOOL_LAYER_ID, TEMPLATES_DIR, type Layer } from './layers.js';
import { renderContext, type RenderContext } from './context.js';
import { packageJson } from './package-json.js';
import { LOCK_FILE, lockText, toolsLock } from '../contract/tools-lock.js';

export interface RenderOptions {
  templatesDir?: string;
}

export async function renderProject(spec: CompleteProjectSpec, options: RenderOptions = {}): Promise<FileTree> {
  const templatesDir = options.templatesDir ?? TEMPLATES_DIR;
  const layers = await Promise.all(repoLayerIds(spec).map((id) => loadLayer(id, templatesDir)));
  const toolLayer = await loadLayer(TOOL_LAYER_ID, templatesDir);
  const context = renderContext(spec);
  const tree = new FileTree();

  for (const layer of layers) renderLayer(tree, layer, context);
  for (const tool of context.tools) renderLayer(tree, toolLayer, { ...context, tool });

  tree.set('package.json', { contents: packageJson(spec, [...layers, toolLayer]), class: 'merged' });
  // Scaffold: once written, the repo's `npm run contract -- --update` maintains the lock.
  tree.set(LOCK_FILE, { contents: lockText(toolsLock(spec)), class: 'scaffold' });
  return tree;
}

const compiled = new WeakMap<Layer['files'][number], CompiledTemplate>();

function renderLayer(tree: FileTree, layer: Layer, context: RenderContext): void {
  for (const file of layer.files) {
    const path = outputPath(file.path, context);
    let contents = file.contents;
    if (file.path.endsWith('.hbs')) {
      let template = compiled.get(file);
      if (!template) {
        template = compileTemplate(file.contents, `${layer.id}/${file.path}`);
        compiled.set(file, template);
      }
      contents = template(context);
    }
    tree.set(path, { contents, class: layer.classOf(path), ...(file.executable ? { mode: 0o755 } : {}) });
  }
}

/** Template path -> repo path: drop `.hbs`, `_gitignore` -> `.gitignore`, `__tool__` -> file name. */
export function outputPath(templatePath: string, context: Pick<RenderContext, 'tool'>): string {
  return templatePath
    .replace(/\.hbs$/, '')
    .split('/')
    .map((segment) => {
      if (segment === '_gitignore') return '.gitignore';
      if (segment.includes('__tool__')) {
        if (!context.tool) throw new Error(`${templatePath}: __tool__ outside the tool layer`);
        return segment.replace(/__tool__/g, context.tool.fileName);
      }
      return segment;
    })
    .join('/');
}
