/** The server's catalog of API operations (operations.ts, generated), built once per process. */
import { OperationCatalog } from './operation-catalog.js';
import { operations } from './operations.js';

export const catalog = new OperationCatalog(operations);
