/**
 * Once per `npm run test:stress`: installs the stress tools, and generates, installs and builds
 * the server the Inspector, fuzz and load tests share (stdio and HTTP, API keys, resources and a prompt, a read and a
 * write tool), so each test file does not pay for its own `npm install`.
 */
import { writeFile } from 'node:fs/promises';
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

/** Both tools take the arguments the fuzz and load cases send: an optional text and a limit. */
const PARAMS = [
  { name: 'query', type: 'string', description: 'Text to match.', required: false },
  { name: 'limit', type: 'integer', description: 'The most records to return.', required: false },
];
const STRESS_SPEC = {
  name: 'crm-mcp',
  transport: 'both',
  auth: 'api-key',
  tools: [
    { name: 'search_customers', access: 'read', params: PARAMS },
    { name: 'create_note', access: 'write', params: PARAMS },
  ],
  resources: [
    { name: 'customers', uri: 'crm://customers' },
    { name: 'customer', uriTemplate: 'crm://customers/{id}' },
  ],
  prompts: [{ name: 'customer_brief', arguments: [{ name: 'customer', description: 'The customer id' }], message: 'Brief me on customer {customer}.' }],
};

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await stressTools();
  const { path, remove } = await tempDir('cms-stress-');
  const dir = join(path, 'crm-mcp');
  const spec = join(path, 'spec.json');
  await writeFile(spec, JSON.stringify(STRESS_SPEC));
  await generate(dir, '--config', spec, '--no-git');
  await npmRun(dir, 'build');
  project.provide('stressRepo', dir);
  return remove;
}
