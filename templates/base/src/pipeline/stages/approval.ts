/** Write tools with `approval`: the user confirms in the client, or an approver grants the parked call (../approve.ts). */
import { approvalGate } from '../approve.js';
import { caller, type NamedStage } from '../call-context.js';

export const approval: NamedStage = {
  name: 'approval',
  build: ({ approvals }) => async (call, next) => {
    if (call.kind !== 'tool') return next();
    const gate = await approvalGate(call.target, call.input, caller(call), call.request, approvals);
    if (!gate.proceed) return gate.outcome;
    call.input = gate.input;
    const outcome = await next();
    return gate.approval ? { ...outcome, approval: gate.approval } : outcome;
  },
};
