// Writes dist/spec/mcp-gen.schema.json (the JSON Schema of mcp-gen.json, which every generated
// repo carries as .mcp-gen/mcp-gen.schema.json) from the compiled spec at build time, so that
// commands read it instead of converting the zod spec each run (builtSpecJsonSchemaText).
import { writeFileSync } from 'node:fs';

const { specJsonSchemaText } = await import(new URL('../dist/spec/json-schema.js', import.meta.url).href);
writeFileSync(new URL('../dist/spec/mcp-gen.schema.json', import.meta.url), specJsonSchemaText());
console.log('wrote the spec JSON schema');
