"""UTF-16 and UTF-32 text, recognised by its byte-order mark or by where its zero bytes fall.

Ingest sniffs uploads with it and extract decodes them with it, so both read a text alike.
"""

# Longest first: the UTF-32 little-endian mark starts with the UTF-16 one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_MIN_UNITS = 8
# Text in a Latin script has a zero high byte in nearly every code unit; binary data does not.
_ZERO_SHARE = 0.9
_STRAY_SHARE = 0.05


def unicode_encoding(probe: bytes) -> str | None:
    """The codec of UTF-16 or UTF-32 text starting with ``probe``, else ``None``."""
    for bom, codec in _BOMS:
        if probe.startswith(bom):
            return codec
    return _by_zero_bytes(probe)


def _by_zero_bytes(probe: bytes) -> str | None:
    probe = probe[: len(probe) // 4 * 4]
    if len(probe) < 4 * _MIN_UNITS or b"\x00" not in probe:
        return None
    lanes = [_zero_share(probe[lane::4]) for lane in range(4)]
    if lanes[2] == lanes[3] == 1.0 and lanes[0] <= _STRAY_SHARE:
        return "utf-32-le"
    if lanes[0] == lanes[1] == 1.0 and lanes[3] <= _STRAY_SHARE:
        return "utf-32-be"
    odd, even = (lanes[1] + lanes[3]) / 2, (lanes[0] + lanes[2]) / 2
    if odd >= _ZERO_SHARE and even <= _STRAY_SHARE:
        return "utf-16-le"
    if even >= _ZERO_SHARE and odd <= _STRAY_SHARE:
        return "utf-16-be"
    return None


def _zero_share(lane: bytes) -> float:
    return lane.count(0) / max(len(lane), 1)
