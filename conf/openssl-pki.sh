#!/usr/bin/env bash
# A PKI for one kofu gateway made with plain openssl (docs/OPERATIONS.md, "Your own PKI").
#
#   conf/openssl-pki.sh DIR [MUNICIPALITY-CODE...]
#
# Makes, under DIR: five CAs (card root and the card-issuing CA under it, municipal signing CA,
# store-terminal CA, service CA), the gateway's server and client certificates, one signing
# certificate per municipality code, a time-stamping unit's certificate (for an RFC 3161 TSA),
# one copier certificate, the CRLs of the terminal and card
# CAs, and the gateway's two secrets. Keys are created owner-only (umask 077).
# KOFU_PKI_START (YYYYMMDDHHMMSSZ, default now) back-dates every certificate's start.
# KOFU_PKI_CRL_START (same format, default now) dates the CRLs.
# KOFU_PKI_HOST (default localhost) is the gateway's DNS name in its certificate.
# KOFU_PKI_CARDS ("SERIAL-HEX ..."): also card certificates with these serials under cards/SERIAL,
# standing in for the card authority (tests; an operator trusts the real card CAs instead).
set -euo pipefail
out="${1:?usage: openssl-pki.sh DIR [MUNICIPALITY-CODE...]}"
shift
umask 077
mkdir -p "$out"
cd "$out"
start="${KOFU_PKI_START:-$(date -u +%Y%m%d%H%M%SZ)}"
host="${KOFU_PKI_HOST:-localhost}"
# kofu's certificate policies (docs/PKI.md): card user certification, municipal signing, terminal.
arc=2.25.247185920188414537410263580466315460163

[ -f ca.cnf ] || cat > ca.cnf <<'CNF'
[ca]
default_ca = this
[this]
dir = .
database = $dir/index.txt
new_certs_dir = $dir/issued
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = sha256
default_crl_days = 30
policy = anything
unique_subject = no
copy_extensions = none
[anything]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
serialNumber = optional
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[v3_server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectAltName = $ENV::KOFU_SAN
[v3_client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
[v3_terminal]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
certificatePolicies = $ENV::KOFU_ARC.1.4
[v3_signer]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
certificatePolicies = $ENV::KOFU_ARC.1.3
[v3_tsa]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
[v3_card]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
certificatePolicies = $ENV::KOFU_ARC.1.1
CNF
export KOFU_ARC="$arc" KOFU_SAN="DNS:$host,DNS:localhost,IP:127.0.0.1"

# ca DIR "SUBJECT" [PARENT]: a CA in DIR (cert.pem, key.pem, its own database for its CRL).
ca() {
  local dir="$1" subject="$2" parent="${3:-}"
  mkdir -p "$dir/issued"
  : > "$dir/index.txt"
  echo 01 > "$dir/crlnumber"
  openssl rand -hex 16 > "$dir/serial"
  openssl req -new -newkey rsa:3072 -nodes -keyout "$dir/key.pem" -out "$dir/req.pem" -subj "$subject" 2> /dev/null
  if [ -z "$parent" ]; then
    (cd "$dir" && openssl ca -batch -config ../ca.cnf -selfsign -keyfile key.pem -in req.pem -out cert.pem \
      -startdate "$start" -days 3650 -extensions v3_ca -notext 2> /dev/null)
  else
    (cd "$parent" && openssl ca -batch -config "$OLDPWD/ca.cnf" -cert cert.pem -keyfile key.pem -in "$OLDPWD/$dir/req.pem" \
      -out "$OLDPWD/$dir/cert.pem" -startdate "$start" -days 3650 -extensions v3_ca -notext 2> /dev/null)
  fi
}

# leaf CA DIR "SUBJECT" EXTENSIONS [SERIAL-HEX]: a certificate issued by CA, key and cert in DIR.
leaf() {
  local ca="$1" dir="$2" subject="$3" ext="$4" serial="${5:-}"
  mkdir -p "$dir"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$dir/key.pem" -out "$dir/req.pem" -subj "$subject" 2> /dev/null
  [ -n "$serial" ] && echo "$serial" > "$ca/serial"
  (cd "$ca" && openssl ca -batch -config "$OLDPWD/ca.cnf" -cert cert.pem -keyfile key.pem -in "$OLDPWD/$dir/req.pem" \
    -out "$OLDPWD/$dir/cert.pem" -startdate "$start" -days 825 -extensions "$ext" -notext 2> /dev/null)
  rm -f "$dir/req.pem"
}

crl() {
  (cd "$1" && openssl ca -config ../ca.cnf -gencrl -cert cert.pem -keyfile key.pem -crl_lastupdate "${KOFU_PKI_CRL_START:-$(date -u +%Y%m%d%H%M%SZ)}" -out crl.pem 2> /dev/null)
}

# Run again on the same DIR, it keeps what is there (and issues only KOFU_PKI_CARDS).
if [ ! -f card-root/key.pem ]; then
ca card-root "/C=JP/O=Card Authority/CN=Card Root CA"
ca card-ca "/C=JP/O=Card Authority/CN=Card User Certification CA" card-root
ca municipal-ca "/C=JP/O=Municipal PKI/CN=Municipal Signing CA"
ca terminal-ca "/C=JP/O=kofu center/CN=Store Terminal CA"
ca service-ca "/C=JP/O=kofu center/CN=kofu Service CA"

leaf service-ca gateway "/C=JP/O=kofu center/CN=$host" v3_server
leaf service-ca gateway-client "/C=JP/O=kofu center/CN=kofu gateway client" v3_client
leaf terminal-ca copier "/C=JP/O=example-chain/OU=store-0001/CN=copier-01" v3_terminal
for code in "$@"; do
  leaf municipal-ca "signers/$code" "/C=JP/O=Municipality $code/serialNumber=$code/CN=Mayor of $code" v3_signer
done
leaf municipal-ca tsa "/C=JP/O=Municipal PKI/CN=Time-Stamping Unit" v3_tsa
mkdir -p secrets
openssl rand -base64 48 > secrets/session-1
openssl rand -base64 48 > secrets/journal-1
fi
for serial in ${KOFU_PKI_CARDS:-}; do
  leaf card-ca "cards/$serial" "/C=JP/O=JPKI/OU=JPKI for user authentication/CN=U$serial" v3_card "$serial"
done
crl terminal-ca
crl card-ca
echo "made in $PWD"
