/** A credential, still valid, for a tenant the tool is enabled for, with every scope the tool names (../authorize.ts). */
import type { NamedStage } from '../call-context.js';
import { authorize as check } from '../authorize.js';

export const authorize: NamedStage = {
  name: 'authorize',
  build: ({ rollout }) => async (call, next) => check(call.target, call.principal, rollout) ?? next(),
};
