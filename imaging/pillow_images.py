"""Pillow behind the ImageProcessor port: sniff, decode defensively, render the icon set.

Hostile input is expected. The format is sniffed from the bytes (never the declared content
type) and limited to PNG, JPEG and WebP; dimensions are read from the header and checked by
the domain before decoding; Pillow's own decompression-bomb limit is set to the same bound
and its warning is an error; truncated data is an error, never silently padded.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence

from PIL import Image, ImageFile, UnidentifiedImageError

from loyalty.errors import DomainError, ErrorCode
from loyalty.icons import ACCEPTED_FORMATS, MAX_SIDE
from loyalty.ports import ImageHeader, RenderedIcons, Rendition

Image.MAX_IMAGE_PIXELS = MAX_SIDE * MAX_SIDE
ImageFile.LOAD_TRUNCATED_IMAGES = False

_FORMATS = sorted(ACCEPTED_FORMATS)


def _open(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data), formats=_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise DomainError(
            ErrorCode.IMAGE_DIMENSIONS_TOO_LARGE, ("file",), max_side=MAX_SIDE
        ) from exc
    except UnidentifiedImageError as exc:
        raise DomainError(ErrorCode.IMAGE_UNSUPPORTED_FORMAT, ("file",)) from exc
    except (OSError, ValueError, SyntaxError) as exc:  # what Pillow raises on broken headers
        raise DomainError(ErrorCode.IMAGE_CORRUPT, ("file",)) from exc


def _has_transparency(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        alpha = image.convert("RGBA").getchannel("A")
        lowest = alpha.getextrema()[0]
        return isinstance(lowest, int | float) and lowest < 255
    return False


def _draw(source: Image.Image, rendition: Rendition) -> bytes:
    size = rendition.size
    if rendition.fill:
        # The colour at the artwork's corner: its own background, extended under the mask.
        corner = source.getpixel((0, 0))
        canvas = Image.new("RGB", (size, size), corner)
    elif rendition.content_scale < 1:
        inner = max(1, round(size * rendition.content_scale))
        art = source.resize((inner, inner), Image.Resampling.LANCZOS).convert("RGBA")
        canvas = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        offset = (size - inner) // 2
        canvas.paste(art, (offset, offset))
    else:
        canvas = source.resize((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    canvas.save(out, format="PNG")
    return out.getvalue()


class PillowImages:
    def read_header(self, data: bytes) -> ImageHeader:
        image = _open(data)  # reads the header only; no pixel is decoded yet
        return ImageHeader(format=str(image.format), width=image.width, height=image.height)

    def render(self, data: bytes, renditions: Sequence[Rendition]) -> RenderedIcons:
        image = _open(data)
        try:
            image.load()
        except (OSError, ValueError, SyntaxError) as exc:  # truncated or damaged pixel data
            raise DomainError(ErrorCode.IMAGE_CORRUPT, ("file",)) from exc
        if _has_transparency(image):
            return RenderedIcons(has_transparency=True, files=())
        # One high-quality step down to the largest output, then every size from that.
        largest = max(r.size for r in renditions)
        source = image.convert("RGB").resize((largest, largest), Image.Resampling.LANCZOS)
        files = tuple((r, _draw(source, r)) for r in renditions)
        return RenderedIcons(has_transparency=False, files=files)
