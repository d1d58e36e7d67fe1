/**
 * The lifecycle the OpenAPI e2e files share: a temp root (the generated repo and its document go
 * under it) made before the file's own beforeAll, and after all tests the repo's server and the
 * stand-in upstream stopped and the root removed.
 */
import { afterAll, beforeAll } from 'vitest';

import { tempDir } from '../support/temp-dir.js';
import { SERVED, SLOW, type RunningServer } from './generated-repo.js';
import type { StandIn } from './stand-in-upstream.js';

/**
 * Registers the hooks; call it at the top level, before the file's own beforeAll (hooks run in
 * the order they are registered). `running` names the file's server and stand-in, as they are
 * when the tests end. Returns the root, whose `path` is there once the hook has run.
 */
export function importedApiLifecycle(
  prefix: string,
  running: () => { server: RunningServer | undefined; upstream: StandIn | undefined },
): { readonly path: string } {
  let root: { path: string; remove: () => Promise<void> } | undefined;
  beforeAll(async () => {
    root = await tempDir(prefix);
  }, SLOW);
  afterAll(async () => {
    const { server, upstream } = running();
    await server?.stop();
    await upstream?.close();
    await root?.remove();
  }, SERVED);
  return {
    get path() {
      if (!root) throw new Error('the temp root is made in beforeAll: read its path from a hook or a test');
      return root.path;
    },
  };
}
