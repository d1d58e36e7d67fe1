/**
 * Your own pipeline stages. This file is yours: `mcp-gen upgrade` never changes it.
 *
 * `customStages` gets the pipeline's stages in order (stages.ts lists them) and returns the list
 * the server runs. A stage is `(call, next) => result`: answer by itself (a refusal, say, built
 * with `errorResult` from ./results.js), or `await next()` and look at or change the result.
 * Every stage's answer is audited. The handler must stay last. For example, refusing calls
 * outside business hours for tools the caller may run, before the approval gate:
 *
 *   const businessHours: NamedStage = {
 *     name: 'business-hours',
 *     build: () => async (call, next) => {
 *       const hour = new Date().getUTCHours();
 *       if (call.tool.access === 'write' && (hour < 8 || hour >= 18)) {
 *         return errorResult('denied', 'outside_business_hours', `${call.tool.name} runs from 08:00 to 18:00 UTC.`);
 *       }
 *       return next();
 *     },
 *   };
 *   return stages.flatMap((stage) => (stage.name === 'approval' ? [businessHours, stage] : [stage]));
 */
import type { NamedStage } from './call-context.js';

export function customStages(stages: readonly NamedStage[]): readonly NamedStage[] {
  return stages;
}
