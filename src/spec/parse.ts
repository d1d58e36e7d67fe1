/** The one door into a spec: raw input -> validated, completed spec, or a SpecError. */
import { ProjectSpec } from './project-spec.js';
import { describeIssues, formatPath, SpecError, type FieldLabeler } from './issues.js';
import { completeSpec, type CompleteProjectSpec } from './tool-defaults.js';

export function parseSpec(input: unknown, label: FieldLabeler = formatPath): CompleteProjectSpec {
  const result = ProjectSpec.safeParse(input);
  if (!result.success) throw new SpecError(describeIssues(result.error.issues, input, label));
  return completeSpec(result.data);
}
