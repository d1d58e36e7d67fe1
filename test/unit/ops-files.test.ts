/**
 * What a generated repo ships to run in production (Dockerfile, compose.yaml, deploy/kubernetes/,
 * CI, Dependabot, README, RUNBOOK), for every transport and auth model: each YAML/JSON file
 * parses, the Kubernetes objects are valid, probes and healthchecks point at endpoints the server
 * serves, nothing runs as root, every variable the server reads is documented and wired, and
 * every tool is in the docs. Rendered in-process from the real templates.
 */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Service } from 'kubernetes-models/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { parseSpec } from '../../src/spec/parse.js';
import { AUTH_KINDS, BACKEND_KINDS, TRANSPORTS } from '../../src/spec/project-spec.js';
import { renderProject } from '../../src/render/render-project.js';
import type { FileTree } from '../../src/render/file-tree.js';
import { GENERATED_CI_COMMANDS } from '../support/generated-ci.js';

const tools = [
  {
    name: 'search_customers',
    access: 'read',
    description: 'Search customers by name or email.',
    params: [{ name: 'query', type: 'string', required: false }],
  },
  { name: 'create_note', access: 'write', params: [{ name: 'text', type: 'string' }] },
  { name: 'crm.get_account', access: 'read', params: [{ name: 'id', type: 'string' }] },
];

/** Read only when the server speaks stdio: a deployed HTTP service has no use for them. */
const STDIO_ONLY = new Set(['MCP_API_KEY', 'MCP_API_KEY_FILE', 'MCP_ACCESS_TOKEN', 'MCP_ACCESS_TOKEN_FILE']);

const combinations = TRANSPORTS.flatMap((transport) => AUTH_KINDS.map((auth) => ({ transport, auth, backends: ['sample'] })));
// Every backend, once, on a deployed server and on a stdio one.
const backendKinds = BACKEND_KINDS.filter((kind) => kind !== 'sample');
if (backendKinds.length > 0) {
  combinations.push({ transport: 'http', auth: 'api-key', backends: [...backendKinds] });
  combinations.push({ transport: 'stdio', auth: 'none', backends: [...backendKinds] });
}

interface Rendered {
  tree: FileTree;
  slug: string;
  networked: boolean;
  text(path: string): string;
  yaml(path: string): any;
}

const renders = new Map<string, Promise<Rendered>>();
/** Each combination is rendered once (rendering is pure: the same spec gives the same tree). */
function render(transport: string, auth: string, backends: string[]): Promise<Rendered> {
  const key = `${transport}+${auth}+${backends.join(',')}`;
  if (!renders.has(key)) renders.set(key, renderOnce(transport, auth, backends));
  return renders.get(key)!;
}

async function renderOnce(transport: string, auth: string, backends: string[]): Promise<Rendered> {
  const name = `crm-${transport}-${auth}${backends.includes('sample') ? '' : `-${backends.join('-')}`}`;
  const tree = await renderProject(parseSpec({ name, transport, auth, tools, backends: backends.map((kind) => ({ kind })) }));
  const text = (path: string) => {
    const file = tree.get(path);
    if (!file) throw new Error(`${name}: no ${path}`);
    return file.contents;
  };
  return { tree, slug: name, networked: transport !== 'stdio' && auth !== 'none', text, yaml: (path) => parseYaml(text(path)) };
}

/**
 * Every environment variable the rendered server reads: the keys of the zod schemas in
 * src/config.ts (ALL_CAPS keys are only ever variable names there), `<NAME>_FILE` for each
 * secret, and any direct `process.env` read anywhere in src/.
 */
function serverEnvironment(r: Rendered): Set<string> {
  const config = r.text('src/config.ts');
  const names = new Set([...config.matchAll(/^\s+([A-Z][A-Z0-9_]+)\s*:/gm)].map((m) => m[1]!));
  const secrets = /SECRET_VARIABLES\s*=\s*\[([^\]]*)\]/.exec(config)?.[1] ?? '';
  for (const m of secrets.matchAll(/'([A-Z][A-Z0-9_]+)'/g)) names.add(`${m[1]}_FILE`);
  for (const path of r.tree.paths().filter((p) => p.startsWith('src/') && p.endsWith('.ts'))) {
    for (const m of r.text(path).matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]+)|\[['"]([A-Z][A-Z0-9_]+)['"]\])/g)) {
      names.add((m[1] ?? m[2])!);
    }
  }
  return names;
}

/** Paths the rendered HTTP transport answers (`path: '/path'` in its route table). */
function httpRoutes(r: Rendered): Set<string> {
  return new Set([...r.text('src/transports/http-routes.ts').matchAll(/path: '(\/[^']*)'/g)].map((m) => m[1]!));
}

/** config.env: KEY=VALUE lines, as kustomize's configMapGenerator reads them. */
function envFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    expect(eq, `config.env line "${line}"`).toBeGreaterThan(0);
    out.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return out;
}

/** `# NAME=value` lines of .env.example: the documented default of each variable. */
function documentedDefaults(text: string): Map<string, string> {
  return new Map([...text.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** The variables a deployed HTTP server must be given a value for (a secret as NAME or NAME_FILE). */
function toWire(env: Set<string>): string[] {
  return [...env].filter((name) => !STDIO_ONLY.has(name) && !(name.endsWith('_FILE') && env.has(name.slice(0, -5))));
}
const wired = (wiredNames: Set<string>, name: string) => wiredNames.has(name) || wiredNames.has(`${name}_FILE`);

/** The Dockerfile's last stage: the image that runs. */
function finalStage(dockerfile: string): string {
  const stages = dockerfile.split(/^FROM /m);
  return stages[stages.length - 1]!;
}

describe.each(combinations)('ops files of a $transport + $auth server with $backends', ({ transport, auth, backends }) => {
  it('parse: every YAML and JSON file', async () => {
    const r = await render(transport, auth, backends);
    const files = r.tree.paths().filter((p) => /\.(ya?ml|json)$/.test(p));
    expect(files).toContain('.github/workflows/ci.yml');
    expect(files).toContain('.github/dependabot.yml');
    for (const path of files) {
      if (path.endsWith('.json')) expect(() => JSON.parse(r.text(path)), path).not.toThrow();
      else for (const doc of parseAllDocuments(r.text(path))) expect(doc.errors, path).toEqual([]);
    }
  });

  it('document every variable the server reads in .env.example', async () => {
    const r = await render(transport, auth, backends);
    const env = serverEnvironment(r);
    expect(env).toContain('LOG_LEVEL');
    expect(env.size).toBeGreaterThan(5);
    const documented = documentedDefaults(r.text('.env.example'));
    for (const name of env) expect(documented.has(name), `.env.example documents ${name}`).toBe(true);
  });

  it('name every tool in README.md and RUNBOOK.md', async () => {
    const r = await render(transport, auth, backends);
    for (const doc of ['README.md', 'RUNBOOK.md']) {
      for (const tool of tools) expect(r.text(doc), `${doc} names ${tool.name}`).toContain(`\`${tool.name}\``);
    }
  });

  it('give the person on call a runbook section for every alert and operation', async () => {
    const r = await render(transport, auth, backends);
    const runbook = r.text('RUNBOOK.md');
    const sections = [...runbook.matchAll(/^### (.+)$/gm)].map((m) => m[1]!);
    const expected = [
      'Tool calls fail (`outcome: "error"`)',
      'Spike of invalid input (`outcome: "invalid"`)',
      'Rate limits saturated (`outcome: "rate_limited"`)',
      'Backend outage',
      'Audit sink failure',
      'Disabling a tool for one tenant',
      'Rolling a new version out to one tenant first',
      ...(auth === 'api-key' ? ['Authentication failures (401)', 'Keys: create, rotate, revoke'] : []),
    ];
    for (const section of expected) expect(sections, `RUNBOOK.md has "${section}"`).toContain(section);
    // Every alert links to a section that exists (GitHub's anchors: lower case, punctuation dropped).
    const anchors = new Set(sections.map((h) => h.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-')));
    for (const [, anchor] of runbook.matchAll(/\]\(#([^)]+)\)/g)) expect(anchors, `#${anchor}`).toContain(anchor);
    if (r.networked) {
      for (const [, path] of runbook.matchAll(/kubectl (?:apply|delete) -k (\S+)/g)) {
        expect(r.tree.has(`${path}/kustomization.yaml`), path).toBe(true);
      }
      expect(runbook).toContain(`kubectl rollout undo deployment/${r.slug}`);
    }
  });

  it('build an image that runs as a non-root user, from an exact Node.js release', async () => {
    const r = await render(transport, auth, backends);
    const dockerfile = r.text('Dockerfile');
    const from = [...dockerfile.matchAll(/^FROM (\S+)(?: AS (\S+))?$/gm)];
    expect(from.length).toBeGreaterThanOrEqual(3);
    expect(from[0]![1]).toMatch(/^node:\d+\.\d+\.\d+-[a-z]+-slim$/);
    const runtime = finalStage(dockerfile);
    const user = /^USER (\d+)(?::(\d+))?$/m.exec(runtime);
    expect(user, 'the final stage sets a numeric USER').not.toBeNull();
    expect(Number(user![1])).toBeGreaterThan(0);
    expect(runtime).not.toMatch(/^USER (root|0)\b/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    // The image runs what npm start runs (node flags included, once a user sets some in both).
    const command = JSON.parse(/^CMD (\[.*\])$/m.exec(runtime)![1]!) as string[];
    expect(command.join(' ')).toBe(JSON.parse(r.text('package.json')).scripts.start);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(runtime).not.toMatch(/COPY --from=build \/app\/node_modules/);
    if (transport === 'stdio') {
      expect(dockerfile).not.toMatch(/^HEALTHCHECK/m);
    } else {
      const path = /^HEALTHCHECK[\s\S]*?127\.0\.0\.1:'\+\(process\.env\.PORT\|\|3000\)\+'(\/[a-z]+)'/m.exec(dockerfile)?.[1];
      expect(httpRoutes(r)).toContain(path);
      expect(path).toBe('/healthz');
    }
  });

  it('run in CI the commands the end-to-end tests run, on the Node.js the image runs', async () => {
    const r = await render(transport, auth, backends);
    const workflow = r.yaml('.github/workflows/ci.yml');
    const steps: Array<{ run?: string; uses?: string }> = workflow.jobs.test.steps;
    expect(steps.filter((s) => s.run).map((s) => s.run!.trim())).toEqual([...GENERATED_CI_COMMANDS]);
    expect(steps.findIndex((s) => s.uses?.startsWith('actions/setup-node@'))).toBeLessThan(steps.findIndex((s) => s.run));
    const imageNode = /^FROM node:(\d+)\./m.exec(r.text('Dockerfile'))![1];
    const engines = /^>=(\d+)\./.exec(JSON.parse(r.text('package.json')).engines.node)![1];
    expect(workflow.jobs.test.strategy.matrix.node).toEqual([Number(engines), Number(imageNode)]);

    const dockerRuns = workflow.jobs.docker.steps.map((s: { run?: string }) => s.run ?? '').join('\n');
    expect(dockerRuns).toMatch(/docker build --tag "\$IMAGE" \./);
    expect(dockerRuns).toMatch(/Config\.User/);
    if (r.networked) {
      expect(workflow.jobs.docker.env.IMAGE).toBe(r.yaml('compose.yaml').services.server.image);
      expect(dockerRuns).toMatch(/docker compose up --no-build --wait/);
      expect(workflow.jobs.kubernetes.steps.map((s: { run?: string }) => s.run ?? '').join('\n')).toMatch(
        /kubectl kustomize deploy\/kubernetes\/canary/,
      );
    } else {
      expect(workflow.jobs.kubernetes).toBeUndefined();
      expect(dockerRuns).not.toMatch(/docker compose/);
    }
  });

  it('keep dependencies, actions and the base image current with Dependabot', async () => {
    const r = await render(transport, auth, backends);
    const dependabot = r.yaml('.github/dependabot.yml');
    expect(dependabot.version).toBe(2);
    expect(dependabot.updates.map((u: { 'package-ecosystem': string }) => u['package-ecosystem']).sort()).toEqual([
      'docker',
      'github-actions',
      'npm',
    ]);
  });

  it('open the MCP Inspector on the transport npm start serves (npm run inspect)', async () => {
    const r = await render(transport, auth, backends);
    const scripts = JSON.parse(r.text('package.json')).scripts;
    expect(scripts.inspect).toMatch(/^npx -y @modelcontextprotocol\/inspector@\d+ /);
    if (transport === 'stdio') {
      expect(scripts.inspect).toMatch(/ node dist\/main\.js$/);
    } else {
      const url = / --server-url (\S+)/.exec(scripts.inspect)?.[1];
      expect(url).toBe('http://127.0.0.1:3000/mcp');
      expect(httpRoutes(r)).toContain(new URL(url!).pathname);
    }
    expect(r.text('README.md')).toContain('npm run inspect');
  });
});

const networked = combinations.filter(({ transport, auth, backends }) => transport !== 'stdio' && auth !== 'none');

describe('servers that are not deployed as a service', () => {
  it.each(combinations.filter((c) => !networked.includes(c)))('$transport + $auth gets no compose.yaml or Kubernetes manifests, and its README says why', async ({ transport, auth, backends }) => {
    const r = await render(transport, auth, backends);
    expect(r.tree.has('compose.yaml')).toBe(false);
    expect(r.tree.paths().filter((p) => p.startsWith('deploy/'))).toEqual([]);
    expect(r.text('README.md')).toMatch(/no `compose\.yaml` and no Kubernetes manifests/);
  });
});

describe.each(networked)('compose.yaml of a $transport + $auth server with $backends', ({ transport, auth, backends }) => {
  it('wires every variable the server reads, and none it does not', async () => {
    const r = await render(transport, auth, backends);
    const env = serverEnvironment(r);
    const server = r.yaml('compose.yaml').services.server;
    const names = new Set(Object.keys(server.environment));
    for (const name of toWire(env)) expect(wired(names, name), `compose.yaml wires ${name}`).toBe(true);
    for (const name of names) expect(env.has(name), `the server reads ${name}`).toBe(true);
    expect(server.environment.MCP_TRANSPORT).toBe('http');
    expect(server.environment.HOST).toBe('0.0.0.0');
  });

  it('health-checks every service on an endpoint it serves, and starts the server after its dependencies are healthy', async () => {
    const r = await render(transport, auth, backends);
    const compose = r.yaml('compose.yaml');
    const server = compose.services.server;
    const port = server.environment.PORT;
    const check = (server.healthcheck.test as string[]).join(' ');
    const url = /http:\/\/127\.0\.0\.1:(\d+)(\/[a-z]+)/.exec(check);
    expect(url?.[1]).toBe(port);
    expect(httpRoutes(r)).toContain(url?.[2]);
    expect(server.ports).toEqual([`127.0.0.1:${port}:${port}`]);
    for (const [name, service] of Object.entries<any>(compose.services)) {
      expect(service.healthcheck?.test, `${name} has a healthcheck`).toBeDefined();
      if (name !== 'server') expect(server.depends_on?.[name]?.condition, `server waits for ${name}`).toBe('service_healthy');
    }
  });

  it('runs the server without root, privileges or a writable root filesystem, with secrets as files', async () => {
    const r = await render(transport, auth, backends);
    const server = r.yaml('compose.yaml').services.server;
    expect(server.user ?? 'the image USER').not.toMatch(/^(0|root)\b/);
    expect(server.read_only).toBe(true);
    expect(server.cap_drop).toEqual(['ALL']);
    expect(server.security_opt).toContain('no-new-privileges:true');
    expect(server.stop_grace_period).toBe('15s');
    expect(server.volumes).toEqual([{ type: 'bind', source: './secrets', target: '/run/secrets/mcp', read_only: true }]);
    if (auth === 'api-key') expect(server.environment.MCP_API_KEYS_FILE).toBe('/run/secrets/mcp/keys.json');
    expect(server.secrets).toBeUndefined();
    for (const value of Object.values<string>(server.environment)) expect(value).not.toMatch(/^mcp_|password|secret=/i);
  });
});

describe.each(networked)('deploy/kubernetes of a $transport + $auth server with $backends', ({ transport, auth, backends }) => {
  const manifests = async () => {
    const r = await render(transport, auth, backends);
    const dir = 'deploy/kubernetes';
    const kustomization = r.yaml(`${dir}/kustomization.yaml`);
    const objects = (kustomization.resources as string[]).map((file) => r.yaml(`${dir}/${file}`));
    const byKind = (kind: string) => objects.find((o) => o.kind === kind);
    return { r, dir, kustomization, objects, byKind, config: envFile(r.text(`${dir}/config.env`)) };
  };

  it('are valid Kubernetes objects: Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget (and the alerts\' PrometheusRule)', async () => {
    const { byKind, objects } = await manifests();
    expect(objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'PrometheusRule', 'Service']);
    new Deployment(byKind('Deployment')).validate();
    new Service(byKind('Service')).validate();
    new HorizontalPodAutoscaler(byKind('HorizontalPodAutoscaler')).validate();
    new PodDisruptionBudget(byKind('PodDisruptionBudget')).validate();
  });

  it('probe /healthz and /readyz on the port the server listens on', async () => {
    const { r, byKind, config } = await manifests();
    const pod = byKind('Deployment').spec.template.spec;
    const container = pod.containers[0];
    const port = container.ports.find((p: { name: string }) => p.name === 'http');
    expect(String(port.containerPort)).toBe(config.get('PORT'));
    expect(config.get('HOST')).toBe('0.0.0.0');
    expect(config.get('MCP_TRANSPORT')).toBe('http');
    const routes = httpRoutes(r);
    for (const [probe, path] of [
      ['startupProbe', '/healthz'],
      ['livenessProbe', '/healthz'],
      ['readinessProbe', '/readyz'],
    ] as const) {
      expect(container[probe].httpGet.path).toBe(path);
      expect(routes).toContain(container[probe].httpGet.path);
      expect(container[probe].httpGet.port).toBe('http');
    }
    expect(byKind('Service').spec.ports[0].targetPort).toBe('http');
    // Room for the preStop pause, the server's drain and its own backstop before SIGKILL.
    const drainMs = Number(config.get('SHUTDOWN_TIMEOUT_MS'));
    const preStop = Number(container.lifecycle.preStop.exec.command[1]);
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(preStop * 1000 + drainMs + 5000);
  });

  it('run several non-root replicas with a read-only root filesystem, resources and a disruption budget', async () => {
    const { byKind, r } = await manifests();
    const deployment = byKind('Deployment');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    const imageUser = Number(/^USER (\d+)/m.exec(finalStage(r.text('Dockerfile')))![1]);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: imageUser });
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits.memory).toBeDefined();
    expect(pod.automountServiceAccountToken).toBe(false);

    const podLabels = deployment.spec.template.metadata.labels;
    expect(deployment.spec.selector.matchLabels).toEqual(podLabels);
    expect(byKind('Service').spec.selector).toEqual(podLabels);
    expect(byKind('PodDisruptionBudget').spec.selector.matchLabels).toEqual(podLabels);
    const hpa = byKind('HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(3);
    expect(byKind('PodDisruptionBudget').spec.maxUnavailable).toBeLessThan(hpa.spec.minReplicas - 1);
    // The autoscaler owns the count; a `replicas` here would reset it on every apply.
    expect(deployment.spec.replicas).toBeUndefined();
  });

  it('wire every variable the server reads from the ConfigMap or a Secret, with the documented defaults', async () => {
    const { r, byKind, kustomization, config, dir } = await manifests();
    const env = serverEnvironment(r);
    const container = byKind('Deployment').spec.template.spec.containers[0];
    const generated = kustomization.configMapGenerator.find((g: { envs: string[] }) => g.envs.includes('config.env'));
    expect(container.envFrom).toContainEqual({ configMapRef: { name: generated.name } });
    const names = new Set([...config.keys(), ...(container.env ?? []).map((e: { name: string }) => e.name)]);
    for (const name of toWire(env)) expect(wired(names, name), `${dir} wires ${name}`).toBe(true);
    for (const name of names) expect(env.has(name), `the server reads ${name}`).toBe(true);

    // Values differ from .env.example's defaults only where a container needs it.
    const defaults = documentedDefaults(r.text('.env.example'));
    const containerSettings = new Set(['MCP_TRANSPORT', 'HOST', 'MCP_ALLOWED_HOSTS', 'MCP_API_KEYS_FILE', 'AUDIT_LOG']);
    for (const [name, value] of config) {
      // An empty value is the server's default.
      // A *_FILE path names a file of the mounted Secret (checked below).
      if (containerSettings.has(name) || name.endsWith('_FILE') || value === '') continue;
      expect(value, `${name} in config.env`).toBe(defaults.get(name));
    }
    expect(config.get('MCP_ALLOWED_HOSTS')!.split(',')).toContain(byKind('Service').metadata.name);
  });

  it('mount secrets from a Secret the Deployment references, as the directory compose.yaml mounts', async () => {
    const { r, byKind, config } = await manifests();
    const pod = byKind('Deployment').spec.template.spec;
    const mounts = pod.containers[0].volumeMounts as Array<{ name: string; mountPath: string; readOnly?: boolean; subPath?: string }>;
    expect(mounts.find((m) => m.mountPath === '/tmp')).toBeDefined();
    const mount = mounts.find((m) => m.mountPath === '/run/secrets/mcp');
    expect(mount).toMatchObject({ readOnly: true });
    expect(mount!.subPath).toBeUndefined();
    const volume = pod.volumes.find((v: { name: string }) => v.name === mount!.name);
    expect(volume.secret.secretName).toBe(`${r.slug}-secrets`);
    const create = `kubectl create secret generic ${r.slug}-secrets --from-file=secrets/`;
    expect(r.text('deploy/kubernetes/kustomization.yaml')).toContain(create);
    expect(r.text('README.md')).toContain(create);
    const composeMount = r.yaml('compose.yaml').services.server.volumes[0];
    expect(composeMount).toEqual({ type: 'bind', source: './secrets', target: mount!.mountPath, read_only: true });
    // Every *_FILE setting that names a path names one in that directory (or is left empty).
    for (const [name, value] of config) {
      if (name.endsWith('_FILE') && value !== '') expect(value, name).toMatch(/^\/run\/secrets\/mcp\/[^/]+$/);
    }
    if (auth === 'api-key') expect(config.get('MCP_API_KEYS_FILE')).toBe('/run/secrets/mcp/keys.json');
  });

  it('have a canary overlay with its own selectors, one replica and a new image', async () => {
    const { r, byKind } = await manifests();
    const canary = r.yaml('deploy/kubernetes/canary/kustomization.yaml');
    expect(canary.resources).toEqual(['..']);
    expect(canary.nameSuffix).toBe('-canary');
    const stableInstance = byKind('Deployment').spec.selector.matchLabels['app.kubernetes.io/instance'];
    expect(canary.labels).toEqual([{ pairs: { 'app.kubernetes.io/instance': `${stableInstance}-canary` }, includeSelectors: true }]);
    const deleted = canary.patches.filter((p: { patch: string }) => p.patch.startsWith('$patch: delete')).map((p: { patch: string }) => parseYaml(p.patch).kind);
    expect(deleted.sort()).toEqual(['HorizontalPodAutoscaler', 'PodDisruptionBudget', 'PrometheusRule']);
    const image = canary.patches.find((p: { target?: { kind: string } }) => p.target?.kind === 'Deployment');
    expect(parseYaml(image.patch)).toEqual([
      { op: 'replace', path: '/spec/template/spec/containers/0/image', value: `registry.example.com/${r.slug}:0.1.0` },
    ]);
  });
});
