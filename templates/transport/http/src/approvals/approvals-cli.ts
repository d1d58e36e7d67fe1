/**
 * Decide calls parked for approval (tools with approval `human`), through the server's
 * /admin/approvals endpoint:
 *
 *   npm run approvals -- list [--all]
 *   npm run approvals -- show <id>
 *   npm run approvals -- grant <id> [--reason "checked with finance"]
 *   npm run approvals -- deny <id> [--reason "not this quarter"]
 *
 * --url is the server (default http://127.0.0.1:3000). The approver's own credential (an API key
 * or token granting `approvals:grant`) comes from MCP_APPROVER_CREDENTIAL or --credential-file,
 * never from the command line. An approver cannot decide a call they made. Arguments are shown as
 * the server gives them: redacted as in the audit trail, with the SHA-256 of the real ones.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const USAGE = `Usage:
  approvals list [--all]                 pending approvals of your tenant (--all: decided ones too)
  approvals show <id>
  approvals grant <id> [--reason <text>]
  approvals deny <id> [--reason <text>]
Options: --url <server> (default http://127.0.0.1:3000), --credential-file <path>
Your credential: MCP_APPROVER_CREDENTIAL, or a file given with --credential-file.`;

export interface ApprovalsCliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
}

interface ApprovalView {
  id: string;
  status: string;
  tool: string;
  toolVersion: string;
  /** Redacted by the server as in the audit trail. */
  arguments: Record<string, unknown>;
  argumentsSha256?: string;
  requestedBy: { subject: string; clientId: string };
  requestedAt: string;
  expiresAt: string;
  decidedBy: { subject: string } | null;
  reason: string | null;
}

/** Runs the CLI; resolves to the exit code (0 done, 1 refused by the server, 2 bad usage). */
export async function runApprovalsCli(argv: string[], io: ApprovalsCliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        'credential-file': { type: 'string' },
        reason: { type: 'string' },
        all: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, id, ...extra] = positionals;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const needsId = command === 'show' || command === 'grant' || command === 'deny';
  if (!command || !(needsId || command === 'list') || (needsId && !id) || extra.length > 0 || (!needsId && id)) {
    io.err(USAGE);
    return 2;
  }
  let credential: string | undefined;
  try {
    credential = (values['credential-file'] ? readFileSync(values['credential-file'], 'utf8') : io.env['MCP_APPROVER_CREDENTIAL'])?.trim();
  } catch (error) {
    io.err(`--credential-file: cannot read ${values['credential-file']} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return 2;
  }
  if (!credential) {
    io.err('No credential: set MCP_APPROVER_CREDENTIAL or give --credential-file (an API key or token with the approvals:grant scope).');
    return 2;
  }
  let base: URL;
  try {
    base = new URL('/admin/approvals', values.url ?? 'http://127.0.0.1:3000');
  } catch {
    io.err(`--url: ${JSON.stringify(values.url)} is not a URL`);
    return 2;
  }

  const request = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await (io.fetch ?? fetch)(new URL(path, `${base.href}/`), {
      method,
      headers: { Authorization: `Bearer ${credential}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await response.json().catch(() => ({}))) as { approvals?: ApprovalView[]; approval?: ApprovalView; message?: string; error?: { message?: string } | string };
    return { status: response.status, json };
  };

  let answer;
  try {
    if (command === 'list') answer = await request('GET', '.');
    else if (command === 'show') answer = await request('GET', encodeURIComponent(id!));
    else answer = await request('POST', `${encodeURIComponent(id!)}/${command}`, values.reason ? { reason: values.reason } : undefined);
  } catch (error) {
    io.err(`Cannot reach ${base.origin}: ${(error as Error).message}`);
    return 1;
  }
  if (answer.status !== 200) {
    const { json } = answer;
    const message = json.message ?? (typeof json.error === 'object' ? json.error.message : json.error) ?? 'no details';
    io.err(`Refused (${answer.status}): ${message}`);
    return 1;
  }
  if (command === 'list') {
    const approvals = (answer.json.approvals ?? []).filter((approval) => values.all || approval.status === 'pending');
    if (approvals.length === 0) io.err(values.all ? 'No approvals.' : 'No pending approvals.');
    for (const approval of approvals) io.out(line(approval));
    return 0;
  }
  const approval = answer.json.approval!;
  io.out(line(approval));
  if (command === 'grant') io.err(`Granted ${approval.id}: ${approval.requestedBy.subject} may now call ${approval.tool} again.`);
  if (command === 'deny') io.err(`Denied ${approval.id}: ${approval.requestedBy.subject}'s call of ${approval.tool} will not run; calling again answers approval_denied.`);
  return 0;
}

function line(approval: ApprovalView): string {
  return [
    approval.id,
    approval.status,
    `${approval.tool}@${approval.toolVersion}`,
    `requested by ${approval.requestedBy.subject}`,
    approval.requestedAt,
    `expires ${approval.expiresAt}`,
    approval.decidedBy ? `decided by ${approval.decidedBy.subject}${approval.reason ? ` (${approval.reason})` : ''}` : '',
    JSON.stringify(approval.arguments),
    approval.argumentsSha256 ? `sha256 ${approval.argumentsSha256}` : '',
  ]
    .filter(Boolean)
    .join('\t');
}

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  process.exitCode = await runApprovalsCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
  });
}
