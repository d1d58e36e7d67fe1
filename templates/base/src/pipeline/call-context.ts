/**
 * One call as the stages of the pipeline see it (a tool call, a resource read, a prompt get), and
 * what a stage is. Every stage is `(call, next) => result`: it may answer by itself (a refusal, a cached answer), or call `next`
 * to run the stages after it and then look at, change or record their result. The order is one
 * list, in stages.ts; src/pipeline/custom-stages.ts (yours) may add to it.
 */
import type { Principal } from '../auth/principal.js';
import type { BackendCall } from '../backends/index.js';
import type { Logger } from '../observability/logger.js';
import type { CallSpan } from '../observability/tracing.js';
import type { AnyPrompt } from '../tool-model/define-prompt.js';
import type { AnyResource } from '../tool-model/define-resource.js';
import type { AnyTool } from '../tool-model/define-tool.js';
import type { CallRequest } from './call-request.js';
import type { StageDeps } from './pipeline-deps.js';
import type { PipelineResult } from './results.js';

interface CallBase {
  /** The arguments as the client sent them (a resource's: its URI variables); the audit record redacts them. */
  readonly args: unknown;
  /** The arguments the handler receives: set by validate-input, then (tools) by the approval gate. */
  input: Record<string, unknown>;
  /** Undefined only for a call without a credential, which `authorize` refuses. */
  readonly principal: Principal | undefined;
  readonly request: CallRequest;
  /** This call's id, in its audit record, its log lines and its error messages. */
  readonly requestId: string;
  /** performance.now() when the call arrived. */
  readonly startedAt: number;
  readonly log: Logger;
  readonly span: CallSpan;
  /** Filled by the backends the handler calls: which backend, how long, with what outcome. */
  readonly backendCalls: BackendCall[];
}

/**
 * A tools/call, a resources/read, a prompts/get or a completion/complete. `target` is what is
 * called, read, got or completed;
 * a stage that only concerns tools checks `kind` first (`if (call.kind !== 'tool') return next()`).
 */
export type CallContext =
  | (CallBase & { readonly kind: 'tool'; readonly target: AnyTool })
  | (CallBase & { readonly kind: 'resource'; readonly target: AnyResource; readonly uri: string })
  | (CallBase & { readonly kind: 'prompt'; readonly target: AnyPrompt })
  /** completion/complete for a prompt's argument or a resource template's variable: `input` is { argument, value, context }. */
  | (CallBase & { readonly kind: 'completion'; readonly target: AnyPrompt | AnyResource });

export type CallKind = CallContext['kind'];

/** Runs the stages after this one; resolves to their result. */
export type Next = () => Promise<PipelineResult>;

export type Stage = (call: CallContext, next: Next) => Promise<PipelineResult>;

/** A stage in the list: built once per process from the pipeline's dependencies. */
export interface NamedStage {
  readonly name: string;
  build(deps: StageDeps): Stage;
}

/** The authenticated caller. Stages after `authorize` may rely on one: it refuses calls without. */
export function caller(call: CallContext): Principal {
  if (!call.principal) throw new Error(`stage ordered before authorize reads the caller of ${call.target.name}`);
  return call.principal;
}
