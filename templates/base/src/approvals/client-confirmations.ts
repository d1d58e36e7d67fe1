/**
 * Approval `client`: the user confirms each call in the client. The server asks with an
 * `input_required` result (2026-07-28; on 2025-era stdio connections the SDK turns it into an
 * elicitation request) and runs the call when the client retries with the user's "yes".
 *
 * The answer comes from the client, so a client can approve its own request: that is what this
 * mode means (use `human` when that is not enough). What the server does enforce is that the
 * answer belongs to the question: the question carries a signed requestState naming the tenant,
 * the caller, the tool and the exact arguments (callFingerprint), and each one is used once, on
 * whichever replica it comes back to: the one-use markers live in the shared state store.
 */
import { randomBytes } from 'node:crypto';

import { createRequestStateCodec, type RequestStateCodec, type ServerContext } from '@modelcontextprotocol/server';

import type { Principal } from '../auth/principal.js';
import type { OneUseMarkers } from '../shared-state/shared-state.js';

interface ConfirmationState {
  tenantId: string;
  subject: string;
  tool: string;
  fingerprint: string;
  nonce: string;
}

/** A user has this long to answer. */
export const CONFIRMATION_TTL_SECONDS = 600;

// The codec's verify() reads its context only for a `bind` callback, which this codec has none of.
const NO_BINDING_CONTEXT = undefined as unknown as ServerContext;

export type ConfirmationCheck = 'ok' | 'invalid' | 'mismatch' | 'replayed';

export class ClientConfirmations {
  private readonly codec: RequestStateCodec<ConfirmationState>;

  /**
   * `key`: MCP_APPROVAL_STATE_KEY (every replica needs the same one); without it, a random key
   * (valid in this process only). `answered`: the nonces already answered, until they expire.
   */
  constructor(
    key: string | undefined,
    private readonly answered: OneUseMarkers,
    private readonly now: () => number = Date.now,
  ) {
    this.codec = createRequestStateCodec<ConfirmationState>({
      key: key ?? randomBytes(32).toString('base64url'),
      ttlSeconds: CONFIRMATION_TTL_SECONDS,
    });
  }

  /** The requestState of a question about this exact call. */
  ask(caller: Principal, tool: string, fingerprint: string): Promise<string> {
    return this.codec.mint({
      tenantId: caller.tenantId,
      subject: caller.subject,
      tool,
      fingerprint,
      nonce: randomBytes(16).toString('base64url'),
    });
  }

  /** Whether this server signed the requestState as a confirmation question, and it has not expired. */
  async authentic(state: string): Promise<boolean> {
    try {
      const payload = await this.codec.verify(state, NO_BINDING_CONTEXT);
      return typeof payload.fingerprint === 'string';
    } catch {
      return false;
    }
  }

  /**
   * Checks an echoed requestState against the call it comes back with, and marks it answered:
   * `invalid` (forged, altered, expired), `mismatch` (another caller, tool or arguments),
   * `replayed` (already answered once). Rejects with StateUnavailableError when the store of
   * answered nonces cannot be reached.
   */
  async answer(state: unknown, caller: Principal, tool: string, fingerprint: string): Promise<ConfirmationCheck> {
    if (typeof state !== 'string') return 'invalid';
    let payload: ConfirmationState;
    try {
      payload = await this.codec.verify(state, NO_BINDING_CONTEXT);
    } catch {
      return 'invalid';
    }
    if (payload.tenantId !== caller.tenantId || payload.subject !== caller.subject || payload.tool !== tool) return 'mismatch';
    if (payload.fingerprint !== fingerprint) return 'mismatch';
    // Kept as long as the state itself is valid: after that the codec refuses it anyway.
    const first = await this.answered.claim(payload.nonce, this.now() + CONFIRMATION_TTL_SECONDS * 1000);
    return first ? 'ok' : 'replayed';
  }
}
