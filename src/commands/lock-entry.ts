/**
 * The lock is the repo's (scaffold, kept by `npm run contract -- --update`), so the re-render
 * leaves it alone; adding a tool, resource or prompt is the one edit the generator makes to it:
 * a new entry at its declared version, every other entry exactly as it is on disk.
 */
import { SpecError } from '../spec/issues.js';
import { lockText, LOCK_FILE, type ToolsLock } from '../contract/tools-lock.js';
import { replaceChange, type ChangeList } from '../apply/changes.js';
import type { RepoState } from '../upgrade/repo-state.js';

export async function addLockEntry<K extends keyof ToolsLock>(
  changes: ChangeList,
  repo: RepoState,
  kind: K,
  name: string,
  entry: NonNullable<ToolsLock[K]>[string],
): Promise<void> {
  await addLockEntries(changes, repo, kind, [[name, entry]]);
}

/** Several new entries in one edit (an import adds many tools at once); none: no change. */
export async function addLockEntries<K extends keyof ToolsLock>(
  changes: ChangeList,
  repo: RepoState,
  kind: K,
  entries: ReadonlyArray<readonly [string, NonNullable<ToolsLock[K]>[string]]>,
): Promise<void> {
  if (entries.length === 0) return;
  // A second edit of the same plan (an import's tools, then its catalog operations) builds on the first.
  const pending = changes.changes.find((c) => c.path === LOCK_FILE && (c.action === 'create' || c.action === 'update') && c.contents !== undefined);
  const onDiskText = await repo.readDisk(LOCK_FILE);
  const text = pending ? String(pending.contents) : onDiskText;
  let onDisk: ToolsLock = { tools: {} };
  if (text !== undefined) {
    try {
      onDisk = JSON.parse(text) as ToolsLock;
    } catch {
      throw new SpecError([`${LOCK_FILE} is not valid JSON; fix it (or delete it to start afresh) before adding to it`]);
    }
  }
  const lock: ToolsLock = { ...onDisk, [kind]: { ...onDisk[kind], ...Object.fromEntries(entries) } };
  const names = entries.map(([name]) => name);
  const added = `${names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`}`;
  const reason = pending?.reason?.startsWith('adds ') ? `${pending.reason}, ${added}` : `adds ${added}`;
  replaceChange(changes, { path: LOCK_FILE, class: 'scaffold', action: onDiskText === undefined ? 'create' : 'update', contents: lockText(lock), reason });
}
