#!/bin/sh
# The floor for a fresh converge of the seed playbook: what a person who knew the end
# state would type on a fresh Debian 12 host, as one script over one ssh — one
# apt-get install of every package (the same set the seed ends with), the configuration
# written straight, the keys made,
# the services restarted once. No state is read first and nothing is checked, so no
# tool that reads state can be faster. bench/bench.ts sends it with HOSTNAME set.
#   ssh root@HOST 'HOSTNAME_FQDN=mail.example.org sh -s' < bench/floor-fresh.sh
set -e
export DEBIAN_FRONTEND=noninteractive LC_ALL=C
h=${HOSTNAME_FQDN:?}
tls=/etc/postfix/ssl
run=/var/spool/postfix/var/run/saslauthd

debconf-set-selections <<EOF
postfix postfix/main_mailer_type select Internet Site
postfix postfix/mailname string $h
postfix postfix/destinations string $h, localhost.$h, localhost
postfix postfix/relayhost string
postfix postfix/mynetworks string 127.0.0.0/8
postfix postfix/mailbox_limit string 0
postfix postfix/recipient_delim string +
postfix postfix/protocols select ipv4
EOF
# The same packages the seed ends with: its lists refreshed (they are older than its
# cache_valid_time on a fresh host), recommended packages too (apt's default, and the
# apt module's).
apt-get update -q >/dev/null
apt-get install -y -q libdb5.3 postfix sasl2-bin libsasl2-modules openssl procmail >/dev/null
usermod -a -G sasl postfix

postconf -e "myhostname = $h" "mydestination = $h, localhost.$h, localhost" "mynetworks = 127.0.0.0/8" "relayhost =" \
  "inet_interfaces = all" "inet_protocols = ipv4" "mailbox_size_limit = 0" "recipient_delimiter = +" \
  'mailbox_command = procmail -a "$EXTENSION"' "smtpd_sasl_local_domain =" "smtpd_sasl_auth_enable = yes" \
  "smtpd_sasl_security_options = noanonymous" "broken_sasl_auth_clients = yes" \
  "smtpd_recipient_restrictions = permit_sasl_authenticated,permit_mynetworks,reject_unauth_destination" \
  "smtpd_tls_auth_only = no" "smtp_use_tls = yes" "smtpd_use_tls = yes" "smtp_tls_note_starttls_offer = yes" \
  "smtpd_tls_key_file = $tls/smtpd.key" "smtpd_tls_cert_file = $tls/smtpd.crt" "smtpd_tls_CAfile = $tls/cacert.pem" \
  "smtpd_tls_loglevel = 1" "smtpd_tls_received_header = yes" "smtpd_tls_session_cache_timeout = 3600s" \
  "tls_random_source = dev:/dev/urandom"
postconf -M "587/inet=587 inet n - y - - smtpd"
postconf -P "587/inet/syslog_name=postfix/submission" "587/inet/smtpd_sasl_auth_enable=yes"
printf 'pwcheck_method: saslauthd\nmech_list: plain login\n' > /etc/postfix/sasl/smtpd.conf

mkdir -p -m 0755 $tls
(umask 077
 openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out $tls/smtpd.key 2>/dev/null
 openssl req -new -key $tls/smtpd.key -subj "/CN=$h" -out $tls/smtpd.csr
 openssl x509 -req -in $tls/smtpd.csr -signkey $tls/smtpd.key -days 3650 -out $tls/smtpd.crt 2>/dev/null
 openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out $tls/cakey.pem 2>/dev/null
 openssl req -new -x509 -extensions v3_ca -key $tls/cakey.pem -subj "/CN=$h CA" -days 3650 -out $tls/cacert.pem)

mkdir -p $run && chown root:sasl $run && chmod 0710 $run
find /var/spool/postfix/var -type d -exec chown root:sasl {} +
rm -rf /run/saslauthd && ln -s $run /run/saslauthd
sed -i -e 's/^#\? *START=.*/START=yes/' -e "s|^OPTIONS=.*|OPTIONS=\"-c -m $run\"|" /etc/default/saslauthd
grep -q '^START=' /etc/default/saslauthd || echo START=yes >> /etc/default/saslauthd
update-rc.d saslauthd defaults >/dev/null 2>&1; update-rc.d postfix defaults >/dev/null 2>&1
service saslauthd restart >/dev/null
service postfix restart >/dev/null
