/** What to do once the repo exists, for the transport and auth just chosen. */
import { relative } from 'node:path';
import type { CompleteProjectSpec } from '../spec/tool-defaults.js';
import { projectSlug as slug } from '../spec/project-spec.js';
import { INSPECTOR_MAJOR } from '../render/dependency-versions.js';

export function nextSteps(spec: CompleteProjectSpec, dir: string, installed: boolean): string {
  const cd = relative(process.cwd(), dir) || '.';
  const steps = [`cd ${shellQuote(cd)}`];
  if (!installed) steps.push('npm install');
  const scopes = [...new Set(spec.tools.flatMap((t) => t.scopes))].sort().join(',');
  if (spec.auth === 'api-key') {
    steps.push(`npm run keys -- create --tenant acme --subject alice --scopes ${scopes}   # prints the key once`);
  }
  if (spec.auth === 'jwt' || spec.auth === 'oauth') {
    steps.push(`cp .env.example .env   # set MCP_TOKEN_ISSUER, ${spec.auth === 'jwt' ? 'MCP_TOKEN_AUDIENCE' : 'MCP_OAUTH_RESOURCE'} and MCP_TOKEN_JWKS_URL for your identity provider`);
  }
  steps.push('npm run build', 'npm test');
  const http = spec.transport !== 'stdio';
  const start = spec.auth === 'jwt' || spec.auth === 'oauth' ? 'node --env-file=.env dist/main.js' : 'npm start           ';
  steps.push(http ? `${start} # http://127.0.0.1:3000/mcp` : `${start} # serves MCP on stdio`);
  const bearer = spec.auth === 'api-key' ? '$KEY' : spec.auth === 'none' ? undefined : '$TOKEN';
  const auth = bearer ? ` --header "Authorization: Bearer ${bearer}"` : '';
  const envKey = spec.auth === 'api-key' ? ' -e MCP_API_KEY=$KEY' : bearer ? ' -e MCP_ACCESS_TOKEN=$TOKEN' : '';
  const clients = [
    http
      ? `Claude Code:    claude mcp add --transport http ${slug(spec.name)} http://127.0.0.1:3000/mcp${auth}`
      : `Claude Code:    claude mcp add ${slug(spec.name)}${envKey} -- node ${shellQuote(`${dir}/dist/main.js`)}`,
    http
      ? `MCP Inspector:  npx @modelcontextprotocol/inspector@${INSPECTOR_MAJOR} --cli http://127.0.0.1:3000/mcp --transport http${auth} --method tools/list`
      : `MCP Inspector:  npx @modelcontextprotocol/inspector@${INSPECTOR_MAJOR} --cli${envKey} node dist/main.js --method tools/list`,
    `Claude Desktop: see README.md, "Connect a client"`,
  ];
  return `Next steps:\n${steps.map((s) => `  ${s}`).join('\n')}\n\nConnect a client:\n${clients.map((c) => `  ${c}`).join('\n')}`;
}

/** A path as a POSIX shell reads it back: bare when it is plain, else in single quotes. */
export function shellQuote(text: string): string {
  if (/^[A-Za-z0-9_/.,:@%+=-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
