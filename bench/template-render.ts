// 5000 hosts × a 2 KB template that reads facts and inventory variables: controller CPU
// of compiling it once and rendering it for every host, as `tend apply` does (the
// template module's path: compiled when the playbook is read, rendered per host over
// that host's layered variables). Prints the numbers; not a test.
//   npx tsx bench/template-render.ts [hosts]
import { compileTemplate } from '../src/template/index.ts';
import { variableLookup } from '../src/playbook/template.ts';

const HOSTS = Number(process.argv[2] ?? 5000);
const TEMPLATE = `# {{ ansible_managed }}
# {{ inventory_hostname }} ({{ ansible_distribution }} {{ ansible_distribution_major_version }}, {{ ansible_architecture }})
smtpd_banner = $myhostname ESMTP $mail_name ({{ ansible_distribution }})
biff = no
append_dot_mydomain = no
readme_directory = no
compatibility_level = {{ '3.6' if ansible_distribution_major_version | int >= 12 else '2' }}
myhostname = {{ ansible_fqdn }}
mydomain = {{ domain }}
myorigin = $mydomain
mydestination = $myhostname, localhost.$mydomain, localhost{% if accept_domain %}, $mydomain{% endif %}

inet_interfaces = all
inet_protocols = {{ inet_protocols | default('ipv4') }}
mynetworks = 127.0.0.0/8 {{ ansible_default_ipv4.address }}/32{% for n in trusted_networks %} {{ n }}{% endfor %}

relayhost = {{ relay | default('') }}
message_size_limit = {{ (max_mb * 1024 * 1024) | int }}
default_process_limit = {{ [ansible_processor_vcpus * 25, 100] | max }}
{% for key, value in extra_settings.items() | sort %}
{{ key }} = {{ value }}
{% endfor %}
smtpd_tls_cert_file = {{ tls_dir }}/smtpd.crt
smtpd_tls_key_file = {{ tls_dir }}/smtpd.key
smtpd_tls_security_level = may
smtp_tls_security_level = may
smtpd_sasl_auth_enable = {{ 'yes' if sasl else 'no' }}
smtpd_recipient_restrictions = {{ restrictions | join(',') }}
{% if ansible_memtotal_mb > 4096 %}
default_destination_concurrency_limit = 40
{% else %}
default_destination_concurrency_limit = 10
{% endif %}
# groups: {{ group_names | join(', ') }}
{% for alias in aliases %}
# alias {{ loop.index }}/{{ loop.length }}: {{ alias.name | lower }} -> {{ alias.to | default(postmaster) }}
{% endfor %}
`.repeat(1);
const padded = TEMPLATE + `# ${'-'.repeat(Math.max(0, 2048 - TEMPLATE.length - 3))}\n`;

const play = {
  domain: 'example.org',
  accept_domain: true,
  trusted_networks: ['10.0.0.0/8', '192.168.0.0/16'],
  max_mb: 25,
  tls_dir: '/etc/postfix/tls',
  sasl: true,
  postmaster: 'root',
  restrictions: ['permit_sasl_authenticated', 'permit_mynetworks', 'reject_unauth_destination'],
  extra_settings: { smtputf8_enable: 'no', disable_vrfy_command: 'yes', strict_rfc821_envelopes: 'yes' },
  aliases: [{ name: 'Abuse' }, { name: 'Hostmaster', to: 'admin' }, { name: 'Webmaster' }],
};

const t0 = process.cpuUsage();
const w0 = performance.now();
const compiled = compileTemplate(padded, { name: 'main.cf.j2' });
let bytes = 0;
for (let i = 0; i < HOSTS; i++) {
  const facts: Record<string, unknown> = {
    ansible_distribution: 'Debian',
    ansible_distribution_major_version: i % 2 ? '12' : '13',
    ansible_architecture: 'x86_64',
    ansible_fqdn: `mx${i}.example.org`,
    ansible_default_ipv4: { address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, interface: 'eth0' },
    ansible_processor_vcpus: 1 + (i % 8),
    ansible_memtotal_mb: 2048 * (1 + (i % 4)),
  };
  const hostVars = { inventory_hostname: `mx${i}`, group_names: ['mail', i % 2 ? 'bookworm' : 'trixie'], relay: i % 3 ? undefined : '[relay.example.org]:587' };
  const lookup = variableLookup([play, hostVars], (name) => facts[name]);
  const own: Record<string, unknown> = { ansible_managed: 'Ansible managed' };
  bytes += compiled.render((name) => (name in own ? own[name] : lookup(name))).length;
}
const wall = performance.now() - w0;
const cpu = process.cpuUsage(t0);
console.log(`template: ${padded.length} bytes; hosts: ${HOSTS}; rendered: ${(bytes / 1024 / 1024).toFixed(1)} MiB`);
console.log(`controller CPU: ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (user ${(cpu.user / 1e6).toFixed(2)}, system ${(cpu.system / 1e6).toFixed(2)}); wall ${(wall / 1000).toFixed(2)} s; ${(wall / HOSTS).toFixed(3)} ms per host`);
