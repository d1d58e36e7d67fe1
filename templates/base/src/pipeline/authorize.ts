/**
 * Authorization (stage `authorize`, stages.ts). The credential must still be valid, the tool enabled for the caller's
 * tenant (tool rollout), and the credential must grant every scope the tool names.
 * A denial is a tool result the model can explain to the user, not a protocol error.
 */
import { missingScopes, type Principal } from '../auth/principal.js';
import type { Governed } from '../tool-model/governed.js';
import { errorResult, type PipelineResult } from './results.js';
import type { ToolRollout } from './tool-rollout.js';

/** `undefined` when the call may proceed, else the result to return instead. */
export function authorize(tool: Governed, principal: Principal | undefined, rollout: ToolRollout): PipelineResult | undefined {
  if (!principal) {
    return errorResult('denied', 'unauthenticated', 'This call carries no credential. Connect with a valid credential.');
  }
  // Over HTTP every request is authenticated afresh; a stdio process keeps its start-up principal.
  if (principal.expiresAt !== undefined && principal.expiresAt * 1000 <= Date.now()) {
    return errorResult('denied', 'credential_expired', 'The credential this server was started with has expired. Restart it with a new one.');
  }
  // Disabled tools are not even listed for the tenant; this catches a call made anyway.
  if (!rollout.isEnabled(tool.name, principal.tenantId)) {
    return errorResult('denied', 'tool_disabled', `${tool.name} is not enabled for your tenant.`);
  }
  const missing = missingScopes(tool.scopes, principal.scopes);
  if (missing.length > 0) {
    return errorResult(
      'denied',
      'forbidden',
      `Calling ${tool.name} needs the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which this credential does not grant.`,
    );
  }
  return undefined;
}
