#!/usr/bin/env node
// A small kofu store copier in Node, written from the contract alone: the proto files
// (proto/src/main/proto), docs/BINDING.md and proto/service-config.json. It opens a session,
// lets the card sign the challenge, lists the offerings, issues a certificate of residence,
// checks its SHA-256 and its binding, confirms the delivery and closes the session.
//
//   node copier.js CONFIG.json
//
// CONFIG.json names the gateway and the files a copier and a card hold (all PEM):
//   {"gateway": "127.0.0.1:8443", "serviceCa": "...", "terminalCert": "...", "terminalKey": "...",
//    "cardCert": "...", "cardKey": "...", "cardCa": "...", "credentialKind": "CREDENTIAL_KIND_CARD",
//    "municipalityCode": "131016" (optional: the first one offering a residence certificate),
//    "language": "ja-JP" (optional: the accept-language of the display texts)}
// It prints one JSON line with what it did, and exits 0 only when every check passed.
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const REPO = path.resolve(__dirname, '..', '..');
const PROTO_DIR = path.join(REPO, 'proto', 'src', 'main', 'proto');
// google/api/field_behavior.proto, which the contract's annotations import.
const THIRD_PARTY = path.join(REPO, 'proto', 'third_party');
const SERVICE_CONFIG = path.join(REPO, 'proto', 'service-config.json');
const VECTORS = path.join(REPO, 'proto', 'testdata', 'binding-vectors.json');

// ---- docs/BINDING.md §2: SHA-256 over length-prefixed ASCII fields.

function checkedField(f) {
  if (typeof f !== 'string' || f.length < 1 || f.length > 255 || !/^[\x21-\x7e]+$/.test(f)) {
    throw new Error(`binding field not 1..255 printable ASCII characters: ${JSON.stringify(f)}`);
  }
  return Buffer.from(f, 'ascii');
}

function binding(keyId, serial, orderId, issuanceId, municipalityCode) {
  const parts = [];
  for (const f of ['kofu-binding-v1', keyId, serial, orderId, issuanceId, municipalityCode]) {
    const b = checkedField(f);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(b.length);
    parts.push(len, b);
  }
  return crypto.createHash('sha256').update(Buffer.concat(parts)).digest();
}

// docs/BINDING.md §1: the key id is SHA-256 of the CA's SubjectPublicKeyInfo, the serial a
// positive integer in lowercase hex without leading zeros.
function issuerKeyId(caPem) {
  const spki = new crypto.X509Certificate(caPem).publicKey.export({type: 'spki', format: 'der'});
  return crypto.createHash('sha256').update(spki).digest('hex');
}

function serialHex(certPem) {
  return BigInt('0x' + new crypto.X509Certificate(certPem).serialNumber).toString(16);
}

// The test vectors (proto/testdata/binding-vectors.json), where the checkout has them.
function checkVectors() {
  if (!fs.existsSync(VECTORS)) {
    return 'absent';
  }
  const file = JSON.parse(fs.readFileSync(VECTORS, 'utf8'));
  const vectors = Array.isArray(file) ? file : file.vectors;
  let n = 0;
  for (const v of vectors) {
    const i = v.inputs || v.input || v;
    const expected = v.binding || v.binding_hex || v.expected;
    if (!expected || !i) {
      continue;
    }
    const keyId = i.card_issuer_key_id || i.issuer_key_id || i.key_id;
    const serial = i.card_serial || i.serial;
    const got = binding(keyId, serial, i.order_id, i.issuance_id, i.municipality_code).toString('hex');
    if (got !== expected) {
      throw new Error(`binding vector ${v.name || n}: ${got} (expected ${expected})`);
    }
    n++;
  }
  // Inputs the spec refuses must be refused, never encoded some other way.
  for (const r of file.refused || []) {
    const fields = {card_issuer_key_id: 'a'.repeat(64), card_serial: '1', order_id: 'order-0000000000000', issuance_id: '01JDK8V7C5Q0ZP4M2T6W9XRB3E', municipality_code: '131016'};
    fields[r.field] = r.value;
    let refused = false;
    try {
      binding(fields.card_issuer_key_id, fields.card_serial, fields.order_id, fields.issuance_id, fields.municipality_code);
    } catch (e) {
      refused = true;
    }
    if (!refused) {
      throw new Error(`binding vector "${r.name}" was not refused`);
    }
    n++;
  }
  return n;
}

// ---- docs/BINDING.md §3: the signed /Info entries, in the PDF itself or in a compressed object
// stream. The last occurrence wins (an incremental update appends).

function pdfStrings(pdf) {
  const texts = [pdf.toString('latin1')];
  const re = /stream\r?\n/g;
  const raw = texts[0];
  let m;
  while ((m = re.exec(raw)) !== null) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) {
      break;
    }
    try {
      texts.push(zlib.inflateSync(pdf.subarray(start, end)).toString('latin1'));
    } catch (e) {
      // not a Flate stream (an image, a font): nothing of /Info in it
    }
    re.lastIndex = end;
  }
  return texts;
}

function infoEntry(texts, key) {
  let value = null;
  const literal = new RegExp('/' + key + '\\s*\\(([^)]*)\\)', 'g');
  const hex = new RegExp('/' + key + '\\s*<([0-9A-Fa-f]*)>', 'g');
  for (const t of texts) {
    for (const m of t.matchAll(literal)) {
      value = m[1];
    }
    for (const m of t.matchAll(hex)) {
      const b = Buffer.from(m[1], 'hex');
      value = b[0] === 0xfe && b[1] === 0xff ? b.subarray(2).swap16().toString('utf16le') : b.toString('latin1');
    }
  }
  return value;
}

// ---- the gRPC calls

function loadKiosk() {
  const def = protoLoader.loadSync(['kofu/kiosk/v1/kiosk.proto'], {
    includeDirs: [PROTO_DIR, THIRD_PARTY],
    keepCase: true,
    enums: String,
    longs: String,
    defaults: true,
    oneofs: true,
  });
  return grpc.loadPackageDefinition(def).kofu.kiosk.v1;
}

function unary(client, method, request, meta) {
  return new Promise((resolve, reject) => {
    client[method](request, meta, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

function issue(client, request, meta) {
  return new Promise((resolve, reject) => {
    let header = null;
    let trailer = null;
    const chunks = [];
    let next = 0;
    const call = client.Issue(request, meta);
    call.on('data', (r) => {
      if (r.part === 'header') {
        header = r.header;
      } else if (r.part === 'chunk') {
        if (Number(r.chunk.offset) !== next) {
          call.cancel();
          reject(new Error(`chunk at ${r.chunk.offset}, expected ${next}`));
          return;
        }
        chunks.push(r.chunk.data);
        next += r.chunk.data.length;
      } else if (r.part === 'trailer') {
        trailer = r.trailer;
      }
    });
    call.on('error', reject);
    call.on('end', () => resolve({header, trailer, pdf: Buffer.concat(chunks), chunkCount: chunks.length}));
  });
}

// The refusal as a copier reads it: the ErrorInfo reason and the display text for the resident.
function describe(err) {
  const out = {code: err.code, details: err.details};
  const bin = err.metadata && err.metadata.get('grpc-status-details-bin')[0];
  if (bin) {
    out.status_details_bytes = bin.length;
  }
  return out;
}

async function main() {
  const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const read = (p) => fs.readFileSync(p);
  const kiosk = loadKiosk();
  const credentials = grpc.credentials.createSsl(read(config.serviceCa), read(config.terminalKey), read(config.terminalCert));
  const client = new kiosk.KioskService(config.gateway, credentials, {
    'grpc.service_config': fs.readFileSync(SERVICE_CONFIG, 'utf8'),
    'grpc.keepalive_time_ms': 30000,
  });
  const meta = new grpc.Metadata();
  meta.set('accept-language', config.language || 'ja-JP');
  const result = {vectors: checkVectors()};

  const opened = await unary(client, 'OpenSession', {terminal_software: 'kofu-copier-node/0.1'}, meta);
  // The card signs the challenge after its PIN: SHA256withRSA, PKCS#1 v1.5.
  const signature = crypto.sign('sha256', opened.challenge, {key: read(config.cardKey), padding: crypto.constants.RSA_PKCS1_PADDING});
  const cardDer = new crypto.X509Certificate(read(config.cardCert)).raw;
  const authed = await unary(client, 'Authenticate', {
    challenge: opened.challenge,
    card_certificate: cardDer,
    signature,
    credential_kind: config.credentialKind || 'CREDENTIAL_KIND_CARD',
  }, meta);
  const token = authed.session_token;
  result.session_expire_time = authed.session_expire_time && authed.session_expire_time.seconds;

  const listed = await unary(client, 'ListOfferings', {session_token: token}, meta);
  const municipality = listed.municipalities.find((m) =>
    (!config.municipalityCode || m.municipality_code === config.municipalityCode)
    && m.offerings.some((o) => o.type === 'CERTIFICATE_TYPE_RESIDENCE' && o.available));
  if (!municipality) {
    throw new Error('no municipality offers a certificate of residence now: ' + JSON.stringify(listed.municipalities));
  }
  result.municipality_code = municipality.municipality_code;

  const orderId = crypto.randomUUID();
  const doc = await issue(client, {
    session_token: token,
    order_id: orderId,
    municipality_code: municipality.municipality_code,
    certificate: {type: 'CERTIFICATE_TYPE_RESIDENCE', copies: 1},
  }, meta);
  const h = doc.header;
  const sha = crypto.createHash('sha256').update(doc.pdf).digest();
  const checks = {
    size: Number(h.byte_size) === doc.pdf.length,
    sha256_header: sha.equals(h.sha256),
    sha256_trailer: sha.equals(doc.trailer.sha256),
    chunk_count: doc.trailer.chunk_count === doc.chunkCount,
  };
  const expected = binding(issuerKeyId(read(config.cardCa)), serialHex(read(config.cardCert)), orderId, h.issuance_id,
    municipality.municipality_code).toString('hex');
  const texts = pdfStrings(doc.pdf);
  checks.binding = infoEntry(texts, 'KofuBinding') === expected;
  checks.document_number = infoEntry(texts, 'KofuDocumentNumber') === h.issuance_id;
  checks.municipality = infoEntry(texts, 'KofuMunicipalityCode') === municipality.municipality_code;
  result.checks = checks;
  result.issuance_id = h.issuance_id;
  result.binding = expected;
  result.fee_yen = h.fee_yen;
  result.verification_code = h.verification_code;
  const ok = Object.values(checks).every(Boolean);

  // Print only a document that passed every check; otherwise the delivery failed.
  const confirmed = await unary(client, 'ConfirmDelivery', ok
    ? {session_token: token, issuance_id: h.issuance_id, outcome: 'DELIVERY_OUTCOME_PRINTED'}
    : {session_token: token, issuance_id: h.issuance_id, outcome: 'DELIVERY_OUTCOME_FAILED', failure: 'PRINT_FAILURE_DOCUMENT_REJECTED'}, meta);
  result.state = confirmed.state;

  // A refusal, as the copier reads it: the session is closed, so ListOfferings is SESSION_CLOSED.
  await unary(client, 'CloseSession', {session_token: token}, meta);
  try {
    await unary(client, 'ListOfferings', {session_token: token}, meta);
    result.after_close = 'accepted';
  } catch (err) {
    result.after_close = describe(err);
  }
  client.close();
  result.ok = ok && confirmed.state === 'ISSUANCE_STATE_DELIVERED';
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(result.ok ? 0 : 1);
}

module.exports = {binding, issuerKeyId, serialHex, pdfStrings, infoEntry};

if (require.main === module) {
  main().catch((err) => {
    process.stdout.write(JSON.stringify({ok: false, error: String(err && err.message), code: err && err.code}) + '\n');
    process.exit(1);
  });
}
