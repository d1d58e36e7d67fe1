/**
 * Once per `npm run test:stress`: installs the stress tools, and generates, installs and builds
 * the server the Inspector, fuzz and load tests share (stdio and HTTP, API keys, a read and a
 * write tool), so each test file does not pay for its own `npm install`.
 */
import { join } from 'node:path';

import type { TestProject } from 'vitest/node';

import { generate, npmRun } from '../../e2e/generated-repo.js';
import { tempDir } from '../../support/temp-dir.js';
import { stressTools } from './stress-tools.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The generated repo the stress tests share; built, without keys (each test makes its own). */
    stressRepo: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await stressTools();
  const { path, remove } = await tempDir('cms-stress-');
  const dir = join(path, 'crm-mcp');
  await generate(dir, '--transport', 'both', '--auth', 'api-key', '--tool', 'search_customers:read', '--tool', 'create_note:write', '--no-git');
  await npmRun(dir, 'build');
  project.provide('stressRepo', dir);
  return remove;
}
