// tend's own filters, beyond Ansible's, available wherever tend renders a template (task
// values, conditions, template files): `fqdn(domain)`, a host name as it is when it has
// a dot, else completed with the domain.
import type { FilterDef } from '../eval.ts';
import { str } from '../values.ts';

export const TEND_FILTERS: Record<string, FilterDef> = {
  fqdn: {
    fn: (_scope, value, args) => {
      const host = str(value);
      return host.includes('.') || args[0] === undefined ? host : `${host}.${str(args[0])}`;
    },
  },
};
