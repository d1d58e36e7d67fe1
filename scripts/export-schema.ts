/** Writes schema/mcp-gen.schema.json from the zod spec (`npm run schema`); a test fails if it is stale. */
import { writeFileSync } from 'node:fs';
import { specJsonSchemaText } from '../src/spec/json-schema.js';

const target = new URL('../schema/mcp-gen.schema.json', import.meta.url);
writeFileSync(target, specJsonSchemaText());
console.log(`wrote ${target.pathname}`);
