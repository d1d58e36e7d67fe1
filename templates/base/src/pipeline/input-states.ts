/**
 * The state a handler carries from one round of a call to the next (tool-model/input-requests.ts).
 * It travels through the client, so it is signed (HMAC, the SDK's codec) together with what it
 * belongs to: the tenant, the caller, and the tool, resource or prompt that asked. A state that
 * was altered, forged, has expired (after ten minutes) or comes back with another caller or
 * target is refused. It is signed, not encrypted: the client can read it, so keep secrets out.
 */
import { randomBytes } from 'node:crypto';

import { createRequestStateCodec, type RequestStateCodec, type ServerContext } from '@modelcontextprotocol/server';

import type { Principal } from '../auth/principal.js';

interface InputState {
  /** Tells a handler's state from an approval's (approvals/client-confirmations.ts), which the same key signs. */
  for: 'input';
  tenantId: string;
  subject: string;
  /** `tool search_customers`, `prompt customer_brief`, `resource customer`. */
  target: string;
  state: unknown;
}

/** The user has this long to answer. */
export const INPUT_STATE_TTL_SECONDS = 600;

// The codec's verify() reads its context only for a `bind` callback, which this codec has none of.
const NO_BINDING_CONTEXT = undefined as unknown as ServerContext;

export type OpenedState = { ok: true; state: unknown } | { ok: false };

export class InputStates {
  private readonly codec: RequestStateCodec<InputState>;

  /** `key`: MCP_APPROVAL_STATE_KEY (every replica needs the same one); without it, a random key (valid in this process only). */
  constructor(key: string | undefined) {
    this.codec = createRequestStateCodec<InputState>({ key: key ?? randomBytes(32).toString('base64url'), ttlSeconds: INPUT_STATE_TTL_SECONDS });
  }

  /** The requestState that brings `state` back to this caller's next round of `target`. */
  seal(state: unknown, caller: Principal, target: string): Promise<string> {
    return this.codec.mint({ for: 'input', tenantId: caller.tenantId, subject: caller.subject, target, state: state ?? null });
  }

  /** The state an echoed requestState carries, if this server sealed it for this caller and target, and in time. */
  async open(requestState: unknown, caller: Principal, target: string): Promise<OpenedState> {
    const payload = await this.verified(requestState, caller);
    return payload?.target === target ? { ok: true, state: payload.state } : { ok: false };
  }

  /** Whether this server sealed the requestState for this caller (any target), and in time. */
  async authentic(requestState: string, caller: Principal): Promise<boolean> {
    return (await this.verified(requestState, caller)) !== undefined;
  }

  private async verified(requestState: unknown, caller: Principal): Promise<InputState | undefined> {
    if (typeof requestState !== 'string') return undefined;
    let payload: InputState;
    try {
      payload = await this.codec.verify(requestState, NO_BINDING_CONTEXT);
    } catch {
      return undefined;
    }
    return payload.for === 'input' && payload.tenantId === caller.tenantId && payload.subject === caller.subject ? payload : undefined;
  }
}
