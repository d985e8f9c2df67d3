// tend schema: the JSON Schema (draft-07) of playbooks, for editors.
import { playbookJsonSchema } from '../schema.ts';
import { modules } from '../../tasks/index.ts';

export function playbookSchemaText(): string {
  return JSON.stringify(playbookJsonSchema(modules), null, 2);
}
