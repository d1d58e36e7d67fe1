/** The user cancelled a prompt (Ctrl-C / Esc): nothing is written, exit 2. */
export class PromptCancelled extends Error {}
