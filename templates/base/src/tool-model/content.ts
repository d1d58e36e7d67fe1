/**
 * Content blocks beyond the structured result: images, audio, resources. A tool still returns its
 * structured result (the pipeline sends it as structuredContent and as its JSON text); to send more
 * blocks with it, a handler returns `withContent(result, [blocks])`:
 *
 *   return withContent({ id, caption }, [image(png, 'image/png'), resourceLink({ uri, name: 'report.pdf' })]);
 *
 * The blocks follow the JSON text, in the order given. Each helper checks its block when it is made
 * (a bad one is a bug in the tool: thrown, logged, and the model gets a generic error), and the
 * pipeline checks every block again against the protocol's schema. Text in embedded resources is
 * redacted like the other text blocks (REDACT_TOOL_OUTPUT), and every block counts toward the
 * tool's response budget (pipeline/response-budget.ts says how much).
 */
import type { AudioContent, ContentBlock, EmbeddedResource, ImageContent, ResourceLink } from '@modelcontextprotocol/server';

/** Media as bytes, or as a base64 string already. */
export type MediaData = Uint8Array | string;

/** Who a block is for and how much it matters (the protocol's annotations). */
export interface BlockAnnotations {
  audience?: Array<'user' | 'assistant'>;
  /** 0 (least) to 1 (most important). */
  priority?: number;
}

const WITH_CONTENT = Symbol('withContent');

/** A structured result with more content blocks, as a handler returns it. */
export interface WithContent<T> {
  readonly [WITH_CONTENT]: true;
  readonly structured: T;
  readonly blocks: readonly ContentBlock[];
}

/** `structured` (checked against the tool's outputSchema as always) plus `blocks` after its JSON text. */
export function withContent<T>(structured: T, blocks: readonly ContentBlock[]): WithContent<T> {
  return { [WITH_CONTENT]: true, structured, blocks: [...blocks] };
}

/** Whether a handler's return value carries more blocks. */
export function isWithContent(value: unknown): value is WithContent<unknown> {
  return typeof value === 'object' && value !== null && WITH_CONTENT in value;
}

/** An image block; `mimeType` an `image/…` type (`image/png`, `image/jpeg`…). */
export function image(data: MediaData, mimeType: string, annotations?: BlockAnnotations): ImageContent {
  return { type: 'image', data: base64Of(data, 'image'), mimeType: mediaType(mimeType, 'image'), ...annotated(annotations) };
}

/** An audio block; `mimeType` an `audio/…` type (`audio/wav`, `audio/mpeg`…). */
export function audio(data: MediaData, mimeType: string, annotations?: BlockAnnotations): AudioContent {
  return { type: 'audio', data: base64Of(data, 'audio'), mimeType: mediaType(mimeType, 'audio'), ...annotated(annotations) };
}

/** A resource's contents carried in the result: `text`, or binary `blob` (bytes or base64). */
export type EmbeddedContents = { uri: string; mimeType?: string; text: string } | { uri: string; mimeType?: string; blob: MediaData };

export function embeddedResource(contents: EmbeddedContents, annotations?: BlockAnnotations): EmbeddedResource {
  const uri = checkedUri(contents.uri);
  const mimeType = contents.mimeType === undefined ? {} : { mimeType: mediaType(contents.mimeType) };
  const body = 'text' in contents ? { text: contents.text } : { blob: base64Of(contents.blob, 'resource') };
  return { type: 'resource', resource: { uri, ...mimeType, ...body }, ...annotated(annotations) };
}

/** A link to a resource the client may read or fetch itself: nothing of it is in the result. */
export function resourceLink(link: { uri: string; name: string; title?: string; description?: string; mimeType?: string; size?: number }, annotations?: BlockAnnotations): ResourceLink {
  if (!link.name) throw new Error('resourceLink: name must not be empty');
  const { mimeType, ...rest } = link;
  return {
    type: 'resource_link',
    ...rest,
    uri: checkedUri(link.uri),
    ...(mimeType === undefined ? {} : { mimeType: mediaType(mimeType) }),
    ...annotated(annotations),
  };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MEDIA_TYPE = /^([a-z0-9][a-z0-9!#$&^_.+-]*)\/[a-z0-9][a-z0-9!#$&^_.+-]*(?:\s*;.*)?$/i;

function base64Of(data: MediaData, what: string): string {
  if (typeof data !== 'string') return Buffer.from(data).toString('base64');
  if (!BASE64.test(data)) throw new Error(`${what}: data is neither bytes nor a base64 string`);
  return data;
}

function mediaType(mimeType: string, kind?: 'image' | 'audio'): string {
  const match = MEDIA_TYPE.exec(mimeType);
  if (!match || (kind && match[1]!.toLowerCase() !== kind)) {
    throw new Error(`${kind ?? 'resource'}: ${JSON.stringify(mimeType)} is not ${kind ? `an ${kind}/… media type` : 'a media type'}`);
  }
  return mimeType;
}

function checkedUri(uri: string): string {
  if (!URL.canParse(uri)) throw new Error(`resource: ${JSON.stringify(uri)} is not an absolute URI`);
  return uri;
}

function annotated(annotations: BlockAnnotations | undefined): { annotations?: BlockAnnotations } {
  if (!annotations) return {};
  if (annotations.priority !== undefined && !(annotations.priority >= 0 && annotations.priority <= 1)) {
    throw new Error('annotations.priority must be from 0 to 1');
  }
  return { annotations };
}
