/** Exit codes shared by both commands: 2 means "your input was refused, nothing was written". */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;
