/**
 * The contract check, shared by `npm run contract`, `mcp-gen contract`, CI and
 * test/contract.test.ts: compare the tools (resources, prompts) with the lock, classify every difference, check
 * each tool's version bump, and replay the recorded consumer calls.
 */
import type { Catalog } from '../../src/server.js';
import { checkVersions, classifyChanges, type ContractDoc, type Finding, type Violation } from './classify.js';
import { checkConsumers, type ConsumerBreak } from './consumers.js';
import { currentContract } from './contract-doc.js';

export interface ContractReport {
  current: ContractDoc;
  findings: Finding[];
  violations: Violation[];
  consumerBreaks: ConsumerBreak[];
  /** Tools whose output schema the lock does not hold yet (`--update` records it). */
  unrecorded: string[];
}

export function checkContract(catalog: Catalog, lock: ContractDoc, options: { today?: string } = {}): ContractReport {
  const current = currentContract(catalog);
  // A lock written by the generator holds no output schemas yet: nothing to compare them with.
  const unrecorded: string[] = [];
  const before: ContractDoc = { ...lock, tools: {} };
  for (const [name, entry] of Object.entries(lock.tools)) {
    const now = current.tools[name];
    if (entry.outputSchema === undefined && now?.outputSchema !== undefined) {
      unrecorded.push(name);
      before.tools[name] = { ...entry, outputSchema: now.outputSchema };
    } else before.tools[name] = entry;
  }
  const findings = classifyChanges(before, current, options);
  return {
    current,
    findings,
    violations: checkVersions(before, current, findings),
    consumerBreaks: checkConsumers(catalog.tools),
    unrecorded,
  };
}

/** Passes when no version bump is missing, no consumer breaks, and the lock matches the code. */
export function contractHolds(report: ContractReport): boolean {
  return report.violations.length === 0 && report.consumerBreaks.length === 0 && report.findings.length === 0;
}
