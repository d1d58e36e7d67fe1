/** What create-mcp-server prints once the repo exists: steps that work for the auth model chosen. */
import { describe, expect, it } from 'vitest';
import { nextSteps } from '../../src/cli/next-steps.js';
import { parseSpec } from '../../src/spec/parse.js';

const stepsFor = (auth: string, transport = 'http') =>
  nextSteps(parseSpec({ name: 'crm-mcp', auth, transport, tools: [{ name: 'search_customers' }] }), '/tmp/crm-mcp', true);

describe('next steps', () => {
  it('api-key: create a key, then send it', () => {
    const steps = stepsFor('api-key');
    expect(steps).toContain('npm run keys -- create --tenant acme --subject alice --scopes tools:read');
    expect(steps).toContain('--header "Authorization: Bearer $KEY"');
  });

  it.each([
    ['jwt', 'MCP_TOKEN_AUDIENCE'],
    ['oauth', 'MCP_OAUTH_RESOURCE'],
  ])('%s: configure the issuer, start with .env, send a token', (auth, audience) => {
    const steps = stepsFor(auth);
    expect(steps).toContain(`set MCP_TOKEN_ISSUER, ${audience} and MCP_TOKEN_JWKS_URL`);
    expect(steps).toContain('node --env-file=.env dist/main.js');
    expect(steps).toContain('--header "Authorization: Bearer $TOKEN"');
    expect(steps).not.toContain('keys -- create');
    expect(stepsFor(auth, 'stdio')).toContain('-e MCP_ACCESS_TOKEN=$TOKEN');
  });

  it('none: no credential at all', () => {
    const steps = stepsFor('none', 'stdio');
    expect(steps).not.toMatch(/Bearer|MCP_API_KEY|MCP_ACCESS_TOKEN/);
  });
});
