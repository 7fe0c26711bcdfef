#!/usr/bin/env python3
"""Writes binding-vectors.json: the document binding of docs/BINDING.md, computed here in Python,
independently of kofu's Java code (DocumentBindingVectorsTest checks that both agree).

    python3 proto/testdata/binding-vectors.py ISSUER.pem CARD.pem > proto/testdata/binding-vectors.json

ISSUER.pem/CARD.pem: a card certificate and the CA certificate that signed it, for the vector that
derives the card fields from certificates (needs `openssl` on the PATH)."""
import hashlib, json, subprocess, sys

VERSION = "kofu-binding-v1"

def field(s):
    b = s.encode("ascii")
    assert 1 <= len(b) <= 255 and all(0x21 <= c <= 0x7e for c in b), s
    return len(b).to_bytes(2, "big") + b

def binding(key_id, serial, order_id, issuance_id, municipality):
    pre = b"".join(field(s) for s in (VERSION, key_id, serial, order_id, issuance_id, municipality))
    return pre, hashlib.sha256(pre).hexdigest()

def vector(name, key_id, serial, order_id, issuance_id, municipality, **extra):
    pre, digest = binding(key_id, serial, order_id, issuance_id, municipality)
    v = {"name": name, "card_issuer_key_id": key_id, "card_serial": serial, "order_id": order_id,
         "issuance_id": issuance_id, "municipality_code": municipality,
         "preimage_hex": pre.hex(), "binding_hex": digest}
    v.update(extra)
    return v

def openssl(*args, data=None):
    return subprocess.run(["openssl", *args], input=data, capture_output=True, check=True).stdout

issuer_pem, card_pem = open(sys.argv[1]).read(), open(sys.argv[2]).read()
spki = openssl("pkey", "-pubin", "-outform", "DER", data=openssl("x509", "-pubkey", "-noout", data=issuer_pem.encode()))
key_id = hashlib.sha256(spki).hexdigest()
serial = format(int(openssl("x509", "-noout", "-serial", data=card_pem.encode()).decode().strip().split("=")[1], 16), "x")

KEY = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
vectors = [
    vector("a residence certificate from 千代田区", KEY, "5f1d3a09c2e87b41", "3f2c9a4e-1b7d-4e0a-9c55-2d8e6f1a7b30",
           "01JDK8V7C5Q0ZP4M2T6W9XRB3E", "131016"),
    vector("shortest serial and order id", KEY, "1", "aaaaaaaaaaaaaaaa", "01JDK8V7C5Q0ZP4M2T6W9XRB3E", "011002"),
    vector("longest order id (64 characters)", KEY, "7fffffffffffffffffffffffffffffffffffffff", "Z" * 32 + "_-" * 16,
           "01JDK8V7C5Q0ZP4M2T6W9XRB3F", "192015"),
    vector("another municipality, same everything else", KEY, "5f1d3a09c2e87b41", "3f2c9a4e-1b7d-4e0a-9c55-2d8e6f1a7b30",
           "01JDK8V7C5Q0ZP4M2T6W9XRB3E", "192015"),
    vector("card fields derived from certificates", key_id, serial, "order-from-certificates-0001",
           "01JDK8V7C5Q0ZP4M2T6W9XRB3G", "131016",
           issuer_certificate_pem=issuer_pem, card_certificate_pem=card_pem),
]
json.dump({
    "spec": "docs/BINDING.md",
    "version": VERSION,
    "framing": "for each of version, card_issuer_key_id, card_serial, order_id, issuance_id, municipality_code:"
               " 2-byte big-endian length, then the ASCII bytes; binding = SHA-256 of the concatenation",
    "vectors": vectors,
    "refused": [
        {"name": "empty order id", "field": "order_id", "value": ""},
        {"name": "a non-ASCII municipality", "field": "municipality_code", "value": "千代田区"},
        {"name": "a space in the order id", "field": "order_id", "value": "order with space"},
        {"name": "a control character in the issuance id", "field": "issuance_id", "value": "01JDK8V7C5Q0\tZP4M2T6W9XRB3E"},
        {"name": "256 characters", "field": "card_serial", "value": "f" * 256},
    ],
}, sys.stdout, ensure_ascii=False, indent=2)
print()
