/**
 * Last: the handler (a tool's, a resource's read, a prompt's get), with a context whose backends
 * are already bound to the caller's tenant (and to reading, unless it is a write tool), within
 * the call's span (../run-handler.ts).
 */
import type { ToolContext } from '../../tool-model/tool-context.js';
import { caller, type NamedStage } from '../call-context.js';
import { clientLogOf, progressOf } from '../client-messages.js';
import { runHandler } from '../run-handler.js';

export const handler: NamedStage = {
  name: 'handler',
  build: ({ backends, lifecycle, clientMessages }) => async (call) => {
    const principal = caller(call);
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
      log: call.log,
      signal,
      requestId: call.requestId,
      // To the client while the call runs: only what it asked for, redacted (../client-messages.ts).
      progress: progressOf(call.request, call.log),
      clientLog: clientLogOf(call.request, clientMessages, call.target.name, call.log),
    };
    // Within the call's span, so spans the handler's I/O makes nest under it.
    return call.span.run(() => runHandler(call, ctx)).finally(handlerSignal.end);
  },
};
