/**
 * What the client on this request can be asked: the capabilities it declared on the request
 * itself (2026-07-28) or at initialize (2025 era; none on stateless HTTP, where the server has no
 * way to send it a request). A bare `elicitation: {}` means forms, as in the spec.
 */
import type { ClientCapabilities, InputRequest } from '@modelcontextprotocol/server';

import { inputKindOf, type InputKind } from '../tool-model/input-requests.js';

/** Whether the client can answer a question of this kind (elicitation: a form, or with `url`, a URL to open). */
export function canAnswerKind(capabilities: ClientCapabilities | undefined, kind: InputKind, url = false): boolean {
  if (!capabilities) return false;
  if (kind === 'sampling') return capabilities.sampling !== undefined;
  if (kind === 'roots') return capabilities.roots !== undefined;
  const elicitation = capabilities.elicitation;
  if (!elicitation) return false;
  return url ? elicitation.url !== undefined : elicitation.form !== undefined || elicitation.url === undefined;
}

export function canAnswer(capabilities: ClientCapabilities | undefined, question: InputRequest): boolean {
  return canAnswerKind(capabilities, inputKindOf(question), (question.params as { mode?: string } | undefined)?.mode === 'url');
}
