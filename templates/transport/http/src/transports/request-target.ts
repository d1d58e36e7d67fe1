/**
 * The request target as the handlers expect it. HTTP/1.1 allows an absolute-form target
 * (`POST http://mcp.example.com/mcp HTTP/1.1`, RFC 9112 §3.2.2), which proxies send; node:http
 * passes it on as `req.url`, where a path is expected, and the SDK's request conversion would
 * fail on it (a 500). It is rewritten in place to its origin-form (`/mcp`), and its authority
 * becomes the Host header: the RFC says a server must use the target's host and ignore Host, so
 * that is what the allowed-hosts check then judges.
 */
import type { IncomingMessage } from 'node:http';

/** False when the target is neither origin-form nor a usable absolute-form (answer 400). */
export function originForm(req: IncomingMessage): boolean {
  const target = req.url ?? '/';
  if (target.startsWith('/') || target === '*') return true;
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return false;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.host === '' || url.username !== '' || url.password !== '') return false;
  req.url = `${url.pathname}${url.search}`;
  req.headers.host = url.host;
  return true;
}
