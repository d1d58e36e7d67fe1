/**
 * auth `oauth`: this server is an OAuth protected resource. Its RFC 9728 metadata tells a client
 * which authorization servers issue tokens for it and which scopes to ask for; every challenge
 * names the metadata's URL (`resource_metadata`), which is what starts a client's OAuth flow.
 *
 * The URL is the SDK's (getOAuthProtectedResourceMetadataUrl). The document and its endpoint
 * are ours: the SDK's buildOAuthProtectedResourceMetadata / oauthMetadataResponse take one
 * authorization server (we list each of MCP_OAUTH_AUTHORIZATION_SERVERS), refuse an http issuer
 * outside localhost, serve the path-aware location only (clients also probe the root one), and
 * send neither `bearer_methods_supported` nor Cache-Control.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/server';

import type { ProtectedResource } from '../auth/authenticator.js';
import { sendJson } from './http-responses.js';

/** The root location, served beside the path-aware one (RFC 9728 §3.1). */
const ROOT_METADATA_PATH = '/.well-known/oauth-protected-resource';

export interface ResourceMetadata {
  /** What `resource_metadata` names in every challenge. */
  url: string;
  /** Where the document is served. */
  paths: string[];
  /** RFC 9728: public, cacheable, readable from any browser origin. */
  serve(req: IncomingMessage, res: ServerResponse): void;
}

/** The metadata of a protected resource, announcing `scopes` (undefined without auth `oauth`). */
export function resourceMetadataOf(resource: ProtectedResource | undefined, scopes: readonly string[]): ResourceMetadata | undefined {
  if (!resource) return undefined;
  const url = getOAuthProtectedResourceMetadataUrl(resource.resource);
  const document = {
    resource: resource.resource.href,
    authorization_servers: resource.authorizationServers,
    scopes_supported: scopes,
    bearer_methods_supported: ['header'],
  };
  return {
    url,
    paths: [...new Set([new URL(url).pathname, ROOT_METADATA_PATH])],
    serve(req, res) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' }, { Allow: 'GET, HEAD' });
      sendJson(res, 200, document, { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, max-age=3600' });
    },
  };
}
