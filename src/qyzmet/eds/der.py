"""The one DER writing helper the EDS code needs where asn1crypto's classes get in the way
(attributes of any type, byte-exact SET OF order, GOST structures it does not know)."""

from __future__ import annotations


def tlv(tag: int, content: bytes) -> bytes:
    """A DER tag-length-value with a one-byte tag."""
    size = len(content)
    if size < 0x80:
        length = bytes([size])
    else:
        encoded = size.to_bytes((size.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(encoded)]) + encoded
    return bytes([tag]) + length + content
