/**
 * npm run contract                 check the tools against contracts/tools.lock.json (CI runs this)
 * npm run contract -- --update     record the current contract (refused while a version bump is missing)
 * npm run contract -- --json       the report as JSON
 *
 * Exit codes: 0 the contract holds (or was recorded), 1 a violation or a stale lock, 2 bad usage.
 */
import { parseArgs } from 'node:util';

import { prompts } from '../../src/prompts/registry.js';
import { resources } from '../../src/resources/registry.js';
import { tools } from '../../src/tools/registry.js';
import { checkContract, contractHolds, type ContractReport } from './check-contract.js';
import { readLock, writeLock } from './contract-doc.js';

function main(argv: string[]): number {
  let options;
  try {
    options = parseArgs({ args: argv, options: { update: { type: 'boolean' }, json: { type: 'boolean' }, today: { type: 'string' } } }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nUsage: npm run contract -- [--update] [--json]\n`);
    return 2;
  }
  const report = checkContract({ tools, resources, prompts }, readLock(), options.today ? { today: options.today } : {});
  if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else print(report);

  const blocked = report.violations.length > 0 || report.consumerBreaks.length > 0;
  if (options.update) {
    if (blocked) {
      process.stderr.write('Not recorded: fix the version bumps or consumer breaks above first.\n');
      return 1;
    }
    writeLock(report.current);
    process.stderr.write('Recorded the current contract in contracts/tools.lock.json.\n');
    return 0;
  }
  if (!blocked && report.findings.length > 0) {
    process.stderr.write('The versions allow these changes, but the lock does not hold them yet: run npm run contract -- --update and commit the lock.\n');
  }
  return contractHolds(report) ? 0 : 1;
}

function print(report: ContractReport): void {
  const out = (line: string) => process.stderr.write(`${line}\n`);
  for (const finding of report.findings) out(`${finding.class.padEnd(9)} ${finding.message}`);
  for (const violation of report.violations) out(`VERSION   ${violation.message}`);
  for (const broken of report.consumerBreaks) out(`CONSUMER  ${broken.consumer} (${broken.file}): ${broken.tool}: ${broken.message}`);
  if (report.unrecorded.length > 0) out(`note      output schemas not recorded yet for ${report.unrecorded.join(', ')} (--update records them)`);
  const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  const items = [
    counted(Object.keys(report.current.tools).length, 'tool'),
    ...(report.current.resources ? [counted(Object.keys(report.current.resources).length, 'resource')] : []),
    ...(report.current.prompts ? [counted(Object.keys(report.current.prompts).length, 'prompt')] : []),
    ...(report.current.operations ? [counted(Object.keys(report.current.operations).length, 'operation')] : []),
  ];
  if (contractHolds(report)) out(`The contract holds for ${items.join(', ')}.`);
}

process.exitCode = main(process.argv.slice(2));
