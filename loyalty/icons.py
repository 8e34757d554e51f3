"""The app icon: what a merchant may upload and the full set of sizes the stores need."""

from __future__ import annotations

import hashlib
from typing import Final

from loyalty.errors import DomainError, ErrorCode
from loyalty.ports import ImageHeader, Rendition

ACCEPTED_FORMATS: Final = frozenset({"PNG", "JPEG", "WEBP"})
MAX_UPLOAD_MB: Final = 5
MAX_UPLOAD_BYTES: Final = MAX_UPLOAD_MB * 1024 * 1024
MIN_SIDE: Final = 1024
# Bounds decoding work and memory (a 4096x4096 RGBA image is 64 MB decoded); anything larger
# is refused from the header, before a single pixel is decompressed.
MAX_SIDE: Final = 4096

# Android adaptive icons: the artwork lives in the inner 66dp of a 108dp layer (the safe zone
# no launcher mask cuts into); the background layer is a solid colour.
_ADAPTIVE_SAFE_ZONE: Final = 66 / 108

RENDITIONS: Final[tuple[Rendition, ...]] = (
    *(Rendition("ios", s) for s in (1024, 180, 167, 152, 120, 87, 80, 60, 58, 40, 29, 20)),
    Rendition("android", 512),
    *(
        Rendition("android-adaptive-foreground", s, content_scale=_ADAPTIVE_SAFE_ZONE)
        for s in (432, 324, 216, 162, 108)
    ),
    *(Rendition("android-adaptive-background", s, fill=True) for s in (432, 324, 216, 162, 108)),
    # legacy launcher icons: mdpi, hdpi, xhdpi, xxhdpi, xxxhdpi
    *(Rendition("android-legacy", s) for s in (48, 72, 96, 144, 192)),
    Rendition("web", 192),
    Rendition("web", 512),
    *(Rendition("favicon", s) for s in (16, 32, 48)),
)


def check_upload_size(size: int) -> None:
    if size > MAX_UPLOAD_BYTES:
        raise DomainError(ErrorCode.IMAGE_TOO_LARGE, ("file",), max_mb=MAX_UPLOAD_MB)


def check_header(header: ImageHeader) -> None:
    """Everything decidable before decoding: format, bomb-sized dimensions, size and shape."""
    if header.format not in ACCEPTED_FORMATS:
        raise DomainError(ErrorCode.IMAGE_UNSUPPORTED_FORMAT, ("file",))
    if header.width > MAX_SIDE or header.height > MAX_SIDE:
        raise DomainError(ErrorCode.IMAGE_DIMENSIONS_TOO_LARGE, ("file",), max_side=MAX_SIDE)
    if min(header.width, header.height) < MIN_SIDE:
        raise DomainError(ErrorCode.IMAGE_TOO_SMALL, ("file",), min=MIN_SIDE)
    if header.width != header.height:
        raise DomainError(
            ErrorCode.IMAGE_NOT_SQUARE, ("file",), width=header.width, height=header.height
        )


def file_name(data: bytes) -> str:
    """Content-addressed: a new icon gets new URLs, so caches may keep old ones forever."""
    return f"{hashlib.sha256(data).hexdigest()[:32]}.png"
