/**
 * The approvers' endpoint (tools with approval `human`), next to /mcp:
 *
 *   GET  /admin/approvals              this tenant's approvals, newest first (from the shared state
 *                                      store: every replica lists the same ones, unless in memory)
 *   GET  /admin/approvals/<id>
 *   POST /admin/approvals/<id>/grant   optional body {"reason": "…"}
 *   POST /admin/approvals/<id>/deny    optional body {"reason": "…"} (shown to the caller)
 *
 * Behind the same guards and credentials as /mcp (http-guards.ts), the approver needs the
 * `approvals:grant` scope, sees and decides only its own tenant's approvals, and can never
 * decide a call it made itself. `npm run approvals` drives it.
 * Arguments are shown through the same redactor as the audit trail (REDACT_PATHS and the secret
 * detectors), with the SHA-256 of the real ones (`argumentsSha256`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { z } from 'zod';

import type { App } from '../app.js';
import { argumentsHash } from '../approvals/call-fingerprint.js';
import type { Approval } from '../approvals/pending-approvals.js';
import type { Principal } from '../auth/principal.js';
import { StateUnavailableError } from '../shared-state/shared-state.js';
import type { HttpGuards } from './http-guards.js';
import { sendJson } from './http-responses.js';

export const APPROVER_SCOPE = 'approvals:grant';
export const APPROVALS_PATH = '/admin/approvals';

const MAX_BODY_BYTES = 8 * 1024;
const decisionBody = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });

export type ApprovalsAnswer = { status: number; body: unknown };

/** The route: Host, Origin, size and credential as for /mcp, then the approver's scope. */
export function createApprovalsEndpoint(app: App, guards: HttpGuards) {
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    if (!guards.passes(req, res)) return;
    const approver = await guards.authenticate(req, res);
    if (!approver) return;
    if (!approver.scopes.includes(APPROVER_SCOPE)) {
      return guards.refuseScope(res, `This credential grants none of the scopes this endpoint needs: ${APPROVER_SCOPE}.`, [APPROVER_SCOPE], null);
    }
    sendApprovalsAnswer(res, await answerApprovals(app, approver, req, path));
  };
}

/** Answers one request under /admin/approvals for an authenticated approver. */
export async function answerApprovals(app: App, approver: Principal, req: IncomingMessage, path: string): Promise<ApprovalsAnswer> {
  const rest = path.slice(APPROVALS_PATH.length).split('/').filter(Boolean);
  const [id, action] = rest;
  if (rest.length > 2 || (action !== undefined && action !== 'grant' && action !== 'deny')) return notFound();

  const view = (approval: Approval) => approverView(app, approval);
  if (req.method === 'GET' && action === undefined) {
    try {
      if (id === undefined) return { status: 200, body: { approvals: (await app.approvals.list(approver.tenantId)).map(view) } };
      const approval = await app.approvals.get(approver.tenantId, id);
      return approval ? { status: 200, body: { approval: view(approval) } } : notFound();
    } catch (error) {
      if (error instanceof StateUnavailableError) return unavailable();
      throw error;
    }
  }
  if (req.method !== 'POST' || id === undefined || action === undefined) {
    return { status: 405, body: { error: 'method_not_allowed', message: 'GET /admin/approvals[/<id>] or POST /admin/approvals/<id>/grant|deny' } };
  }

  const body = await readJsonBody(req);
  const parsed = decisionBody.safeParse(body ?? {});
  if (body === INVALID || !parsed.success) {
    return { status: 400, body: { error: 'invalid_request', message: 'Expected an empty body or {"reason": "…"} (at most 500 characters).' } };
  }
  const decided = await app.pipeline.decideApproval(id, approver, action, parsed.data.reason);
  if (decided.ok) return { status: 200, body: { approval: view(decided.approval) } };
  switch (decided.reason) {
    case 'not_found':
      return notFound();
    case 'self_approval':
      return { status: 403, body: { error: 'self_approval', message: 'You made this call: another approver must decide it.' } };
    case 'not_pending':
      return { status: 409, body: { error: 'not_pending', message: `This approval is ${decided.approval?.status ?? 'decided'}: only a pending one can be decided.` } };
    case 'unavailable':
      return unavailable();
    case 'audit_unavailable':
      return { status: 503, body: { error: 'audit_unavailable', message: 'The audit log cannot be written: no decision is taken until it can. Retry shortly.' } };
  }
}

export function sendApprovalsAnswer(res: ServerResponse, answer: ApprovalsAnswer): void {
  sendJson(res, answer.status, answer.body, { 'Cache-Control': 'no-store' });
}

/**
 * What an approver reads: the arguments redacted as in the audit trail, with the SHA-256 of the
 * real ones; not the internal fingerprint.
 */
function approverView(app: App, approval: Approval): Omit<Approval, 'fingerprint'> & { argumentsSha256: string } {
  const { fingerprint: _fingerprint, arguments: args, ...shown } = approval;
  return { ...shown, arguments: app.redactor.value(args), argumentsSha256: argumentsHash(args) };
}

function unavailable(): ApprovalsAnswer {
  return { status: 503, body: { error: 'unavailable', message: 'Approvals cannot be reached right now (the shared state store is unreachable). Retry shortly.' } };
}

function notFound(): ApprovalsAnswer {
  return { status: 404, body: { error: 'not_found', message: 'No such approval for your tenant.' } };
}

const INVALID = Symbol('invalid body');

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return INVALID;
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID;
  }
}
