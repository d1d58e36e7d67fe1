/**
 * Last: the handler (a tool's, a resource's read, a prompt's get), with a context whose backends
 * are already bound to the caller's tenant (and to reading, unless it is a write tool), within
 * the call's span (../run-handler.ts).
 */
import type { ToolContext } from '../../tool-model/tool-context.js';
import { callInputOf, inputTarget } from '../call-input.js';
import { caller, type CallContext, type NamedStage } from '../call-context.js';
import { clientLogOf, progressOf } from '../client-messages.js';
import { errorResult } from '../results.js';
import { runHandler } from '../run-handler.js';

export const handler: NamedStage = {
  name: 'handler',
  build: ({ backends, lifecycle, clientMessages, inputStates, rollout }) => async (call) => {
    const principal = caller(call);
    // A later round of a call whose handler asked the client (ctx.input.ask): its state must be
    // one this server sealed for this caller and target. A client approval's state is the gate's.
    let state: unknown;
    if (call.request.requestState !== undefined && !confirmedInClient(call)) {
      const opened = await inputStates.open(call.request.requestState, principal, inputTarget(call));
      if (!opened.ok) {
        return errorResult('invalid', 'invalid_request_state', `This requestState was not given to you for ${call.target.name} by this server, or it has expired: call again without it.`);
      }
      state = opened.state;
    }
    // Aborted by the client's cancel or by shutdown (handler-signals.ts: AbortSignal.any costs too much per call).
    const handlerSignal = lifecycle.handlerSignals.begin(call.request.signal);
    const signal = handlerSignal.signal;
    const ctx: ToolContext = {
      principal,
      tenant: principal.tenantId,
      // The only way a handler reaches data.
      backends: backends.forTenant(principal.tenantId, {
        access: call.kind === 'tool' ? call.target.access : 'read',
        signal,
        requestId: call.requestId,
        onCall: (backendCall) => call.backendCalls.push(backendCall),
      }),
      enabled: (name) => rollout.isEnabled(name, principal.tenantId),
      log: call.log,
      signal,
      requestId: call.requestId,
      // To the client while the call runs: only what it asked for, redacted (../client-messages.ts).
      progress: progressOf(call.request, call.log),
      clientLog: clientLogOf(call.request, clientMessages, call.target.name, call.log),
      input: callInputOf(call, principal, inputStates, state),
    };
    // Within the call's span, so spans the handler's I/O makes nest under it.
    return call.span.run(() => runHandler(call, ctx)).finally(handlerSignal.end);
  },
};

/** A tool with approval `client`: the approval gate checked the call's requestState. */
function confirmedInClient(call: CallContext): boolean {
  return call.kind === 'tool' && call.target.approval === 'client';
}
