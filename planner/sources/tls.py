"""Certificates: verified by the system's trust store, or pinned to the SHA-256 fingerprint
the user said to trust (shown in the refusal). Plain Python."""

from __future__ import annotations

import hashlib
import re
import socket
import ssl

from planner.domain.errors import InvalidInput
from planner.sources.errors import CertificateRefused

_HEX = re.compile(r"[0-9a-f]{64}")


def normalise_fingerprint(text: str) -> str:
    """``AB:CD:…`` / ``abcd…`` / ``sha256:…`` → 64 lower-case hex digits, or InvalidInput."""
    value = text.strip().lower()
    for prefix in ("sha256:", "sha256_", "sha256="):
        if value.startswith(prefix):
            value = value[len(prefix):]
    value = re.sub(r"[\s:]", "", value)
    if not _HEX.fullmatch(value):
        raise InvalidInput("a certificate fingerprint is 64 hexadecimal digits (SHA-256), "
                           "as shown when the certificate was refused")
    return value


def show_fingerprint(hex_digits: str) -> str:
    """64 hex digits as ``AB:CD:…`` (how browsers and openssl show it)."""
    return ":".join(hex_digits[i:i + 2] for i in range(0, len(hex_digits), 2)).upper()


def der_fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def fetch_fingerprint(host: str, port: int, timeout: float = 10.0) -> str:
    """The SHA-256 fingerprint of the certificate a TLS server presents (unverified: only
    to show the user what they would trust); "" if it cannot be read."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw, \
                context.wrap_socket(raw, server_hostname=host) as tls:
            der = tls.getpeercert(binary_form=True)
    except (OSError, ssl.SSLError):
        return ""
    return der_fingerprint(der) if der else ""


def verify_reason(exc: BaseException | None) -> str | None:
    """Why a certificate did not verify, if ``exc`` (or what caused it) says so; else None."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, ssl.SSLCertVerificationError):
            return exc.verify_message or "it does not verify"
        text = str(exc)
        if "CERTIFICATE_VERIFY_FAILED" in text:
            for reason in ("self-signed certificate in certificate chain",
                           "self-signed certificate", "self signed certificate",
                           "certificate has expired",
                           "unable to get local issuer certificate", "Hostname mismatch",
                           "IP address mismatch"):
                if reason.lower() in text.lower():
                    return reason
            return "it does not verify"
        lowered = text.lower()
        if "fingerprint" in lowered and "match" in lowered:
            return "pinned"
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def refused(where: str, fingerprint: str, reason: str, trusted: str | None) -> CertificateRefused:
    """The one sentence for a certificate that is not accepted."""
    shown = show_fingerprint(fingerprint) if fingerprint else ""
    if trusted:
        text = (f"The certificate of {where} is not the one you trusted (its SHA-256 "
                f"fingerprint is now {shown or 'unknown'}); if the server changed it on "
                f"purpose, trust the new one with --trust-certificate {shown or 'FINGERPRINT'}")
    elif shown:
        text = (f"The certificate of {where} cannot be verified ({reason}); if you know it is "
                f"the server's, trust it with --trust-certificate {shown}")
    else:
        text = f"The certificate of {where} cannot be verified ({reason})"
    return CertificateRefused(text, fingerprint)
