/** The generator's own name and version, read once from its package.json. */
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

export const GENERATOR_NAME = pkg.name;
export const GENERATOR_VERSION = pkg.version;
