/**
 * The commands the generated CI workflow's `test` job runs in a generated repository, in order
 * (templates/base/.github/workflows/ci.yml.hbs). The end-to-end tests run exactly these in every
 * repository they generate, and a unit test (test/unit/ops-files.test.ts) checks that the
 * rendered workflow runs exactly these: a green end-to-end run means a green workflow.
 */
export const GENERATED_CI_COMMANDS = ['npm ci', 'npm run typecheck', 'npm run lint:tools', 'npm run build', 'npm test'] as const;

export type GeneratedCiCommand = (typeof GENERATED_CI_COMMANDS)[number];
