/**
 * The approval gate (stage `approval`, stages.ts), for write tools that declare `approval`. It runs after input
 * validation, so what is approved is exactly what the handler will receive, and before the
 * handler. The server enforces it: a client cannot skip it by any argument or answer.
 *
 *   client  ask the user through the client (input_required); run on a confirmed retry of the
 *           same call, once. A client that cannot ask gets a refusal.
 *   human   park the call (src/approvals/pending-approvals.ts) and return its approval id; an
 *           approver other than the caller grants or denies it out of band; the caller calls
 *           again with `approvalId` and only that exact call runs, once.
 *
 * Both keep their state in the shared state store (src/shared-state/), so every replica agrees;
 * while it cannot be reached, approval calls are refused as `unavailable` and nothing runs.
 */
import { acceptedContent, inputRequired, inputResponse } from '@modelcontextprotocol/server';
import { z } from 'zod';

import type { ClientConfirmations } from '../approvals/client-confirmations.js';
import { callFingerprint } from '../approvals/call-fingerprint.js';
import type { Approval, PendingApprovals } from '../approvals/pending-approvals.js';
import type { Principal } from '../auth/principal.js';
import { StateUnavailableError } from '../shared-state/shared-state.js';
import type { AnyTool } from '../tool-model/define-tool.js';
import type { CallRequest } from './call-request.js';
import { errorResult, type ApprovalRecord, type PipelineResult } from './results.js';

export interface ApprovalDeps {
  pending: PendingApprovals;
  confirmations: ClientConfirmations;
  /** False over stdio: no admin endpoint there, so nobody could grant a `human` approval. */
  humanApprovalReachable: boolean;
}

export type GateResult =
  | { proceed: true; input: Record<string, unknown>; approval: ApprovalRecord | null }
  | { proceed: false; outcome: PipelineResult };

const CONFIRM_KEY = 'confirm';
const confirmationSchema = z.object({ confirm: z.boolean() });

export async function approvalGate(
  tool: AnyTool,
  input: Record<string, unknown>,
  caller: Principal,
  request: CallRequest,
  deps: ApprovalDeps,
): Promise<GateResult> {
  const mode = tool.approval ?? 'none';
  if (mode === 'none') return { proceed: true, input, approval: null };
  try {
    return mode === 'client' ? await confirmByClient(tool, input, caller, request, deps.confirmations) : await approveByHuman(tool, input, caller, deps);
  } catch (error) {
    if (!(error instanceof StateUnavailableError)) throw error;
    return {
      proceed: false,
      outcome: errorResult(
        'error',
        'unavailable',
        `Approvals cannot be checked right now (the shared state store is unreachable), so ${tool.name} did not run. Retry in ${UNAVAILABLE_RETRY_SECONDS} seconds.`,
        { mode, id: typeof input['approvalId'] === 'string' ? input['approvalId'] : null, decision: 'unavailable', decidedBy: null },
      ),
    };
  }
}

const UNAVAILABLE_RETRY_SECONDS = 5;

async function confirmByClient(
  tool: AnyTool,
  input: Record<string, unknown>,
  caller: Principal,
  request: CallRequest,
  confirmations: ClientConfirmations,
): Promise<GateResult> {
  const record = (decision: ApprovalRecord['decision']): ApprovalRecord => ({ mode: 'client', id: null, decision, decidedBy: null });
  const refuse = (code: string, decision: ApprovalRecord['decision'], message: string): GateResult => ({
    proceed: false,
    outcome: errorResult('denied', code, message, record(decision)),
  });
  const fingerprint = callFingerprint(tool, input);

  if (request.requestState !== undefined) {
    const check = await confirmations.answer(request.requestState, caller, tool.name, fingerprint);
    if (check === 'invalid') {
      return refuse('approval_invalid', 'invalid', `This confirmation is not valid (altered, or older than 10 minutes). Call ${tool.name} again to be asked anew.`);
    }
    if (check === 'mismatch') {
      return refuse('approval_mismatch', 'mismatch', `This confirmation was given for a different call (other arguments, tool or caller); nothing was changed.`);
    }
    if (check === 'replayed') {
      return refuse('approval_replayed', 'replayed', `This confirmation was already used: each confirmation allows one call. Call ${tool.name} again to be asked anew.`);
    }
    const answer = inputResponse(request.inputResponses, CONFIRM_KEY);
    if (answer.kind === 'elicit') {
      if (acceptedContent(request.inputResponses, CONFIRM_KEY, confirmationSchema)?.confirm === true) {
        return { proceed: true, input, approval: record('confirmed') };
      }
      return refuse('approval_declined', 'declined', `The user did not confirm ${tool.name}; nothing was changed.`);
    }
    // A valid question came back unanswered: ask again, below.
  }

  if (!request.canConfirm) {
    return refuse(
      'approval_unavailable',
      'unavailable',
      `${tool.name} changes data and needs the user's confirmation first, but this client cannot ask (it did not declare form ` +
        'elicitation; 2025-era clients over HTTP cannot be asked at all). Use a client that supports elicitation, or ask the operator.',
    );
  }
  const question = inputRequired({
    inputRequests: {
      [CONFIRM_KEY]: inputRequired.elicit({
        message: `Allow ${tool.title} (${tool.name})? It changes data, with these arguments:\n${summarize(input)}`,
        requestedSchema: {
          type: 'object',
          properties: { confirm: { type: 'boolean', title: `Yes, run ${tool.name}` } },
          required: ['confirm'],
        },
      }),
    },
    requestState: await confirmations.ask(caller, tool.name, fingerprint),
  });
  return { proceed: false, outcome: { outcome: 'pending_approval', errorCode: 'confirmation_required', result: question, approval: record('requested') } };
}

async function approveByHuman(tool: AnyTool, input: Record<string, unknown>, caller: Principal, deps: ApprovalDeps): Promise<GateResult> {
  const { approvalId, ...args } = input;
  const refuse = (outcome: PipelineResult['outcome'], code: string, record: ApprovalRecord, message: string): GateResult => ({
    proceed: false,
    outcome: errorResult(outcome as Exclude<PipelineResult['outcome'], 'ok'>, code, message, record),
  });
  const record = (decision: ApprovalRecord['decision'], approval?: Approval): ApprovalRecord => ({
    mode: 'human',
    id: approval?.id ?? (typeof approvalId === 'string' ? approvalId : null),
    decision,
    decidedBy: approval?.decidedBy?.subject ?? null,
  });

  if (!deps.humanApprovalReachable) {
    return refuse(
      'denied',
      'approval_unavailable',
      record('unavailable'),
      `${tool.name} needs an approver's grant, which is given through the HTTP admin endpoint; this process serves stdio and has none. ` +
        'Call it through the HTTP server instead.',
    );
  }
  const fingerprint = callFingerprint(tool, args);

  if (typeof approvalId !== 'string') {
    const approval = await deps.pending.request(caller, tool, fingerprint, args);
    if (!approval) {
      return refuse('rate_limited', 'approval_limit', record('limit'), 'Too many calls of this tenant are waiting for approval. Ask an approver to decide them, then try again.');
    }
    return refuse(
      'pending_approval',
      'approval_required',
      record('requested', approval),
      `${tool.name} changes data and needs approval from an approver other than you before it runs. Approval id: ${approval.id} ` +
        `(expires ${approval.expiresAt}). Ask an approver to grant it; then call ${tool.name} again with the same arguments and ` +
        `approvalId "${approval.id}".`,
    );
  }

  const redeemed = await deps.pending.redeem(approvalId, caller, fingerprint);
  if (redeemed.ok) return { proceed: true, input: args, approval: record('granted', redeemed.approval) };
  const { reason, approval } = redeemed;
  switch (reason) {
    case 'not_found':
      return refuse('denied', 'approval_not_found', record('not_found'), `There is no approval ${approvalId} for you. Call ${tool.name} without approvalId to request one.`);
    case 'pending':
      return refuse('pending_approval', 'approval_pending', record('pending', approval), `Approval ${approvalId} is still waiting for an approver. Call again once it is granted.`);
    case 'denied':
      return refuse(
        'denied',
        'approval_denied',
        record('denied', approval),
        `Approval ${approvalId} was denied by ${approval?.decidedBy?.subject ?? 'an approver'}${approval?.reason ? `: ${approval.reason}` : ''}. Nothing was changed.`,
      );
    case 'used':
      return refuse('denied', 'approval_used', record('used', approval), `Approval ${approvalId} was already used: an approval runs one call. Call without approvalId to request a new one.`);
    case 'expired':
      return refuse('denied', 'approval_expired', record('expired', approval), `Approval ${approvalId} expired. Call without approvalId to request a new one.`);
    case 'mismatch':
      return refuse(
        'denied',
        'approval_mismatch',
        record('mismatch', approval),
        `Approval ${approvalId} was given for a different call (other arguments, tool or caller): only the exact call that was approved can run.`,
      );
  }
}

/** The arguments as the user reads them in the question, cut short if long. */
function summarize(input: Record<string, unknown>): string {
  const text = JSON.stringify(input, null, 2);
  return text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text;
}
