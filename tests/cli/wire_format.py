"""Protobuf's wire format, the little these tests decode by hand (no protobuf library)."""


def varint(b, i):
    """The base-128 varint at b[i]: (value, index after it)."""
    value, shift = 0, 0
    while True:
        x = b[i]
        i += 1
        value |= (x & 0x7F) << shift
        shift += 7
        if x < 0x80:
            return value, i
