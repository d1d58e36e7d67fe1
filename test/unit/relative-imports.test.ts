import { describe, expect, it } from 'vitest';
import { rewriteRelativeImports } from '../../src/upgrade/migrations/relative-imports.js';

const none = new Map<string, string>();

describe('rewriteRelativeImports', () => {
  it('re-points every kind of relative specifier of a file moved one folder deeper', () => {
    const source = [
      "import { z } from 'zod';",
      "import { defineTool } from '../pipeline/define-tool.js';",
      'import type { Principal } from "../auth/principal.js";',
      "export { helper } from './helper.js';",
      "import './side-effect.js';",
      "const lazy = await import('../backends/index.js');",
      "vi.mock('../pipeline/audit.js');",
      "const real = await vi.importActual<typeof import('../pipeline/audit.js')>('../pipeline/audit.js');",
      "const cjs = require('./data.cjs');",
      "const text = 'from ../not-an-import.js';",
    ].join('\n');
    expect(rewriteRelativeImports(source, { from: 'src/tools/crm-get.ts', to: 'src/tools/crm/get.ts', moved: none })).toBe(
      [
        "import { z } from 'zod';",
        "import { defineTool } from '../../pipeline/define-tool.js';",
        'import type { Principal } from "../../auth/principal.js";',
        "export { helper } from '../helper.js';",
        "import '../side-effect.js';",
        "const lazy = await import('../../backends/index.js');",
        "vi.mock('../../pipeline/audit.js');",
        "const real = await vi.importActual<typeof import('../../pipeline/audit.js')>('../../pipeline/audit.js');",
        "const cjs = require('../data.cjs');",
        "const text = 'from ../not-an-import.js';",
      ].join('\n'),
    );
  });

  it('re-points imports of a moved module from a file that stayed, whatever extension they name', () => {
    const moved = new Map([['src/tools/crm-get', 'src/tools/crm/get']]);
    const source = "import a from '../src/tools/crm-get.js';\nimport b from '../src/tools/crm-get';\nimport c from '../src/tools/crm-get_all.js';\n";
    expect(rewriteRelativeImports(source, { from: 'test/extra.test.ts', to: 'test/extra.test.ts', moved })).toBe(
      "import a from '../src/tools/crm/get.js';\nimport b from '../src/tools/crm/get';\nimport c from '../src/tools/crm-get_all.js';\n",
    );
  });

  it('handles a moved file importing another moved file, and leaves a file with nothing to change as it was', () => {
    const moved = new Map([
      ['src/tools/crm-get', 'src/tools/crm/get'],
      ['src/tools/crm-list', 'src/tools/crm/list'],
    ]);
    expect(rewriteRelativeImports("import { list } from './crm-list.js';\n", { from: 'src/tools/crm-get.ts', to: 'src/tools/crm/get.ts', moved })).toBe(
      "import { list } from './list.js';\n",
    );
    const untouched = "import { z } from 'zod';\nimport x from './x.js';\n";
    expect(rewriteRelativeImports(untouched, { from: 'src/a.ts', to: 'src/a.ts', moved })).toBe(untouched);
  });
});
