/** The arguments against the tool's input schema (a prompt's arguments, a resource's URI variables); a rejection is an `invalid` outcome (../validate-input.ts). */
import type { NamedStage } from '../call-context.js';
import { validateInput as validate } from '../validate-input.js';

export const validateInput: NamedStage = {
  name: 'validate-input',
  build: () => async (call, next) => {
    const validated = validate(call, call.request.swallowedKeys);
    if (!validated.ok) return validated.rejection;
    call.input = validated.input;
    return next();
  },
};
