/** REDACT_TOOL_OUTPUT=true: what the model reads is redacted, before it is cached (../redact-output.ts). */
import type { NamedStage } from '../call-context.js';
import { redactOutput as redact } from '../redact-output.js';

export const redactOutput: NamedStage = {
  name: 'redact-output',
  build: ({ outputRedactor }) =>
    outputRedactor ? async (_call, next) => redact(await next(), outputRedactor) : (_call, next) => next(),
};
