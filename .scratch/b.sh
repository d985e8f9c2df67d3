export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
__t=$(mktemp -d) || exit 90
trap 'rm -rf "$__t"' EXIT
printf '%s\n' '@@29de731a823b89a76daf3323 0 out'
(
command -v debconf-communicate >/dev/null || { echo 'debconf-communicate not found' >&2; exit 127; }
printf '%s' 'GET postfix/main_mailer_type
GET postfix/mailname
GET postfix/destinations
GET postfix/relayhost
GET postfix/mynetworks
GET postfix/mailbox_limit
GET postfix/recipient_delim
GET postfix/protocols
' | DEBIAN_FRONTEND=noninteractive debconf-communicate postfix 2>/dev/null
echo --tend-section--
cat /var/lib/tend/debconf/postfix 2>/dev/null; true
) 2>"$__t/e" </dev/null
printf '\n%s %s\n' '@@29de731a823b89a76daf3323 0 end' "$?"
if [ -s "$__t/e" ]; then printf '%s\n' '@@29de731a823b89a76daf3323 0 err'; cat "$__t/e"; printf '\n%s\n' '@@29de731a823b89a76daf3323 0 errend'; fi
printf '%s\n' '@@29de731a823b89a76daf3323 1 out'
(
export LC_ALL=C
dpkg-query -W -f='${Package}\t${db:Status-Abbrev}\t${Version}\n' libdb5.3 postfix sasl2-bin libsasl2-modules openssl 2>/dev/null
echo --tend--
command -v apt-cache >/dev/null || { echo 'apt-cache not found: this is not a Debian host' >&2; exit 3; }
apt-cache policy libdb5.3 postfix sasl2-bin libsasl2-modules openssl 2>/dev/null
echo --tend--
date +%s
stat -c %Y /var/lib/apt/periodic/update-success-stamp 2>/dev/null || stat -c %Y /var/lib/apt/lists 2>/dev/null || echo 0
true
) 2>"$__t/e" </dev/null
printf '\n%s %s\n' '@@29de731a823b89a76daf3323 1 end' "$?"
if [ -s "$__t/e" ]; then printf '%s\n' '@@29de731a823b89a76daf3323 1 err'; cat "$__t/e"; printf '\n%s\n' '@@29de731a823b89a76daf3323 1 errend'; fi
printf '%s\n' '@@29de731a823b89a76daf3323 2 out'
(
export LC_ALL=C
dpkg-query -W -f='${Package}\t${db:Status-Abbrev}\t${Version}\n' procmail 2>/dev/null
echo --tend--
command -v apt-cache >/dev/null || { echo 'apt-cache not found: this is not a Debian host' >&2; exit 3; }
apt-cache policy procmail 2>/dev/null
echo --tend--
date +%s
stat -c %Y /var/lib/apt/periodic/update-success-stamp 2>/dev/null || stat -c %Y /var/lib/apt/lists 2>/dev/null || echo 0
true
) 2>"$__t/e" </dev/null
printf '\n%s %s\n' '@@29de731a823b89a76daf3323 2 end' "$?"
if [ -s "$__t/e" ]; then printf '%s\n' '@@29de731a823b89a76daf3323 2 err'; cat "$__t/e"; printf '\n%s\n' '@@29de731a823b89a76daf3323 2 errend'; fi
printf '%s\n' '@@29de731a823b89a76daf3323 3 out'
(
u=postfix
getent passwd "$u"
echo --tend-section--
getent passwd "$u" >/dev/null && id -nG "$u"
echo --tend-section--
true
echo --tend-section--
for g in sasl; do getent group "$g" >/dev/null && echo "$g"; done; true
) 2>"$__t/e" </dev/null
printf '\n%s %s\n' '@@29de731a823b89a76daf3323 3 end' "$?"
if [ -s "$__t/e" ]; then printf '%s\n' '@@29de731a823b89a76daf3323 3 err'; cat "$__t/e"; printf '\n%s\n' '@@29de731a823b89a76daf3323 3 errend'; fi
printf '%s\n' '@@29de731a823b89a76daf3323 4 out'
(
command -v postconf >/dev/null || { echo 'postconf not found: is postfix installed?' >&2; exit 127; }
postconf -c /etc/postfix myhostname mydestination mynetworks relayhost inet_interfaces inet_protocols mailbox_size_limit recipient_delimiter mailbox_command smtpd_sasl_local_domain smtpd_sasl_auth_enable smtpd_sasl_security_options broken_sasl_auth_clients smtpd_recipient_restrictions smtpd_tls_auth_only smtp_use_tls smtpd_use_tls smtp_tls_note_starttls_offer smtpd_tls_key_file smtpd_tls_cert_file smtpd_tls_CAfile smtpd_tls_loglevel smtpd_tls_received_header smtpd_tls_session_cache_timeout tls_random_source
echo --tend-section--
postconf -c /etc/postfix -M 587/inet 2>/dev/null
echo --tend-section--
postconf -c /etc/postfix -P 587/inet 2>/dev/null
true
) 2>"$__t/e" </dev/null
printf '\n%s %s\n' '@@29de731a823b89a76daf3323 4 end' "$?"
if [ -s "$__t/e" ]; then printf '%s\n' '@@29de731a823b89a76daf3323 4 err'; cat "$__t/e"; printf '\n%s\n' '@@29de731a823b89a76daf3323 4 errend'; fi
printf '%s\n' '@@29de731a823b89a76daf3323 5 out'
(
p=/etc/postfix/sasl/smtpd.conf
if [ -d "$p" ] && [ ! -L "$p" ]; then echo directory; exit 0; fi
if [ -e "$p" ]; then stat -c '%F|%U|%G|%a' -- "$p"; else echo missing; fi
echo --tend-section--
if [ -f "$p" ]; then cat -- "$p"; fi
) 2>"$__t/e" </dev/null
printf '\n%s %s\n' '@@29de731a823b89a76daf3323 5 end' "$?"
if [ -s "$__t/e" ]; then printf '%s\n' '@@29de731a823b89a76daf3323 5 err'; cat "$__t/e"; printf '\n%s\n' '@@29de731a823b89a76daf3323 5 errend'; fi
printf '%s\n' '@@29de731a823b89a76daf3323 6 out'
(
p=/etc/postfix/ssl
if [ -e "$p" ] || [ -L "$p" ]; then stat -c '%F|%U|%G|%a' -- "$p"; else echo missing; fi
echo --tend-section--
true
) 2>"$__t/e" </dev/null
printf '\n%s %s\n' '@@29de731a823b89a76daf3323 6 end' "$?"
if [ -s "$__t/e" ]; then printf '%s\n' '@@29de731a823b89a76daf3323 6 err'; cat "$__t/e"; printf '\n%s\n' '@@29de731a823b89a76daf3323 6 errend'; fi
printf '%s\n' '@@29de731a823b89a76daf3323 7 out'
(
command -v openssl >/dev/null || { echo 'openssl not found' >&2; exit 127; }
k=/etc/postfix/ssl/smtpd.key
if [ -e "$k" ]; then
  stat -c '%F|%U|%G|%a' -- "$k"
  if out=$(openssl pkey -in "$k" -passin pass: -pubout -text_pub 2>/dev/null); then
    echo parse=ok
    printf '%s
' "$out" | grep -E 'Public-Key|NIST CURVE|ASN1 OID' | tr '
' ' '; echo
    printf '%s
' "$out" | sed -n '/BEGIN PUBLIC KEY/,/END PUBLIC KEY/p' | sha256sum | cut -c1-64
  else echo parse=bad; fi
else echo missing; fi
echo --tend-section--
c=/etc/postfix/ssl/smtpd.csr
if [ -e "$c" ]; then
  out=$(openssl req -in "$c" -noout -subject -nameopt RFC2253 -pubkey  2>/dev/null)
  if printf '%s
' "$out" | grep -q '^subject='; then
    echo parse=ok
    printf '%s
' "$out" | grep -E '^(subject|notBefore|notAfter)=|CA:'
    echo "pub=$(printf '%s
' "$out" | sed -n '/BEGIN PUBLIC KEY/,/END PUBLIC KEY/p' | sha256sum | cut -c1-64)"
    case "$out" in *'will expire'*) echo expiring ;; *) echo fresh ;; esac
  else echo parse=bad; fi
else echo missing; fi
echo --tend-section--
c=/etc/postfix/ssl/smtpd.crt
if [ -e "$c" ]; then
  out=$(openssl x509 -in "$c" -noout -subject -nameopt RFC2253 -pubkey -startdate -enddate -ext basicConstraints -checkend 2592000 2>/dev/null)
  if printf '%s
' "$out" | grep -q '^subject='; then
    echo parse=ok
    printf '%s
' "$out" | grep -E '^(subject|notBefore|notAfter)=|CA:'
    echo "pub=$(printf '%s
' "$out" | sed -n '/BEGIN PUBLIC KEY/,/END PUBLIC KEY/p' | sha256sum | cut -c1-64)"
    case "$out" in *'will expire'*) echo expiring ;; *) echo fresh ;; esac
  else echo parse=bad; fi
else echo missing; fi
) 2>"$__t/e" </dev/null
printf '\n%s %s\n' '@@29de731a823b89a76daf3323 7 end' "$?"
if [ -s "$__t/e" ]; then printf '%s\n' '@@29de731a823b89a76daf3323 7 err'; cat "$__t/e"; printf '\n%s\n' '@@29de731a823b89a76daf3323 7 errend'; fi
printf '%s\n' '@@29de731a823b89a76daf3323 8 out'
(
command -v openssl >/dev/null || { echo 'openssl not found' >&2; exit 127; }
k=/etc/postfix/ssl/cakey.pem
if [ -e "$k" ]; then
  stat -c '%F|%U|%G|%a' -- "$k"
  if out=$(openssl pkey -in "$k" -passin pass: -pubout -text_pub 2>/dev/null); then
    echo parse=ok
    printf '%s
' "$out" | grep -E 'Public-Key|NIST CURVE|ASN1 OID' | tr '
' ' '; echo
    printf '%s
' "$out" | sed -n '/BEGIN PUBLIC KEY/,/END PUBLIC KEY/p' | sha256sum | cut -c1-64
  else echo parse=bad; fi
else echo missing; fi
echo --tend-section--
true
echo --tend-section--
c=/etc/postfix/ssl/cacert.pem
if [ -e "$c" ]; then
  out=$(openssl x509 -in "$c" -noout -subject -nameopt RFC2253 -pubkey -startdate -enddate -ext basicConstraints -checkend 2592000 2>/dev/null)
  if printf '%s
' "$out" | grep -q '^subject='; then
    echo parse=ok
    printf '%s
' "$out" | grep -E '^(subject|notBefore|notAfter)=|CA:'
    echo "pub=$(printf '%s
' "$out" | sed -n '/BEGIN PUBLIC KEY/,/END PUBLIC KEY/p' | sha256sum | cut -c1-64)"
    case "$out" in *'will expire'*) echo expiring ;; *) echo fresh ;; esac
  else echo parse=bad; fi
else echo missing; fi
) 2>"$__t/e" </dev/null
printf '\n%s %s\n' '@@29de731a823b89a76daf3323 8 end' "$?"
if [ -s "$__t/e" ]; then printf '%s\n' '@@29de731a823b89a76daf3323 8 err'; cat "$__t/e"; printf '\n%s\n' '@@29de731a823b89a76daf3323 8 errend'; fi
printf '%s\n' '@@29de731a823b89a76daf3323 9 out'
(
p=/var/spool/postfix/var/run/saslauthd
if [ -e "$p" ] || [ -L "$p" ]; then stat -c '%F|%U|%G|%a' -- "$p"; else echo missing; fi
echo --tend-section--
true
) 2>"$__t/e" </dev/null
printf '\n%s %s\n' '@@29de731a823b89a76daf3323 9 end' "$?"
if [ -s "$__t/e" ]; then printf '%s\n' '@@29de731a823b89a76daf3323 9 err'; cat "$__t/e"; printf '\n%s\n' '@@29de731a823b89a76daf3323 9 errend'; fi
printf '%s\n' '@@29de731a823b89a76daf3323 10 out'
(
p=/var/spool/postfix/var
if [ -e "$p" ] || [ -L "$p" ]; then stat -c '%F|%U|%G|%a' -- "$p"; else echo missing; fi
echo --tend-section--
[ -d "$p" ] && [ ! -L "$p" ] && find "$p" -mindepth 1 -type d \( ! -user root -o ! -group sasl \) -print 2>/dev/null | head -n 21
) 2>"$__t/e" </dev/null
printf '\n%s %s\n' '@@29de731a823b89a76daf3323 10 end' "$?"
if [ -s "$__t/e" ]; then printf '%s\n' '@@29de731a823b89a76daf3323 10 err'; cat "$__t/e"; printf '\n%s\n' '@@29de731a823b89a76daf3323 10 errend'; fi
printf '%s\n' '@@29de731a823b89a76daf3323 11 out'
(
p=/run/saslauthd
if [ -L "$p" ]; then echo link; readlink -- "$p"; elif [ -d "$p" ]; then echo directory; elif [ -e "$p" ]; then echo file; else echo missing; fi
echo --tend-section--
d=$(dirname -- "$p"); [ -d "$d" ] && echo parent-ok || echo parent-missing
) 2>"$__t/e" </dev/null
printf '\n%s %s\n' '@@29de731a823b89a76daf3323 11 end' "$?"
if [ -s "$__t/e" ]; then printf '%s\n' '@@29de731a823b89a76daf3323 11 err'; cat "$__t/e"; printf '\n%s\n' '@@29de731a823b89a76daf3323 11 errend'; fi
printf '%s\n' '@@29de731a823b89a76daf3323 12 out'
(
p=/etc/default/saslauthd
if [ -d "$p" ] && [ ! -L "$p" ]; then echo directory; exit 0; fi
if [ -e "$p" ]; then stat -c '%F|%U|%G|%a' -- "$p"; else echo missing; fi
echo --tend-section--
if [ -f "$p" ]; then cat -- "$p"; fi
) 2>"$__t/e" </dev/null
printf '\n%s %s\n' '@@29de731a823b89a76daf3323 12 end' "$?"
if [ -s "$__t/e" ]; then printf '%s\n' '@@29de731a823b89a76daf3323 12 err'; cat "$__t/e"; printf '\n%s\n' '@@29de731a823b89a76daf3323 12 errend'; fi
printf '%s\n' '@@29de731a823b89a76daf3323 13 out'
(
n=saslauthd
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
  echo init=systemd
  if systemctl cat "$n.service" >/dev/null 2>&1; then echo exists=yes; else echo exists=no; fi
  systemctl is-active --quiet "$n"; echo running=$?
  if systemctl is-enabled --quiet "$n" 2>/dev/null; then echo enabled=yes; else echo enabled=no; fi
else
  echo init=sysv
  if [ -x "/etc/init.d/$n" ]; then echo exists=yes; else echo exists=no; fi
  if [ -x "/etc/init.d/$n" ]; then "/etc/init.d/$n" status >/dev/null 2>&1; echo running=$?; else echo running=3; fi
  if ls /etc/rc[2345].d/S[0-9][0-9]"$n" >/dev/null 2>&1; then echo enabled=yes; else echo enabled=no; fi
fi
) 2>"$__t/e" </dev/null
printf '\n%s %s\n' '@@29de731a823b89a76daf3323 13 end' "$?"
if [ -s "$__t/e" ]; then printf '%s\n' '@@29de731a823b89a76daf3323 13 err'; cat "$__t/e"; printf '\n%s\n' '@@29de731a823b89a76daf3323 13 errend'; fi
printf '%s\n' '@@29de731a823b89a76daf3323 14 out'
(
n=postfix
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
  echo init=systemd
  if systemctl cat "$n.service" >/dev/null 2>&1; then echo exists=yes; else echo exists=no; fi
  systemctl is-active --quiet "$n"; echo running=$?
  if systemctl is-enabled --quiet "$n" 2>/dev/null; then echo enabled=yes; else echo enabled=no; fi
else
  echo init=sysv
  if [ -x "/etc/init.d/$n" ]; then echo exists=yes; else echo exists=no; fi
  if [ -x "/etc/init.d/$n" ]; then "/etc/init.d/$n" status >/dev/null 2>&1; echo running=$?; else echo running=3; fi
  if ls /etc/rc[2345].d/S[0-9][0-9]"$n" >/dev/null 2>&1; then echo enabled=yes; else echo enabled=no; fi
fi
) 2>"$__t/e" </dev/null
printf '\n%s %s\n' '@@29de731a823b89a76daf3323 14 end' "$?"
if [ -s "$__t/e" ]; then printf '%s\n' '@@29de731a823b89a76daf3323 14 err'; cat "$__t/e"; printf '\n%s\n' '@@29de731a823b89a76daf3323 14 errend'; fi