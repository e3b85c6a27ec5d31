"""Images are checked before any writer sees them: whole, readable, and of a sane size.

WeasyPrint leaves out an image it cannot read without a word, and python-docx
embeds whatever it is given (a "decompression bomb" of a few kilobytes that
unpacks to gigabytes of pixels included). So signature images and the images
templates use are decoded here first, with Pillow, under a pixel-count limit;
a bad one is an error that names it.
"""

from __future__ import annotations

import io
import warnings

from lxml import etree
from PIL import Image, ImageFile, UnidentifiedImageError

MAX_PIXELS = 25_000_000  # a signature scanned at 600 dpi is under 5 million
MAX_IMAGE_BYTES = 20 * 1024 * 1024
RASTER_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff"})
IMAGE_SUFFIXES = RASTER_SUFFIXES | {".svg"}
# What raster images start with, so an image is checked whatever its file is called.
MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM", b"II*\x00",
         b"MM\x00*")


def is_image(suffix: str, data: bytes) -> bool:
    """Tell whether a file is meant as an image: by its name, or by its first bytes."""
    return suffix.lower() in IMAGE_SUFFIXES or data.startswith(MAGIC) \
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def problem(suffix: str, data: bytes) -> str | None:
    """Return what is wrong with an image's bytes (a sentence to follow its name), or None."""
    if suffix.lower() == ".svg":
        return _svg_problem(data)
    return _raster_problem(data)


def _raster_problem(data: bytes) -> str | None:
    # WeasyPrint sets LOAD_TRUNCATED_IMAGES for the whole process, which makes Pillow read
    # a damaged image without a word: here damage must show.
    truncated, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        return _decode(data)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated


def _decode(data: bytes) -> str | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return _too_big(width, height)
                image.verify()  # checksums and structure, without decoding
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # every pixel: a truncated or corrupt image fails here
        except UnidentifiedImageError:
            return "is not an image in a format letters can show; save it as PNG or JPEG"
        except Image.DecompressionBombError:
            return f"has more than {MAX_PIXELS:,} pixels; scale it down"
        except (OSError, SyntaxError, ValueError) as error:  # Pillow's "broken file" errors
            return f"is a damaged image ({error}); save it again as PNG or JPEG"
    return None


def _too_big(width: int, height: int) -> str:
    return (f"is {width:,} × {height:,} pixels; an image may have at most {MAX_PIXELS:,} "
            "pixels: scale it down")


def _svg_problem(data: bytes) -> str | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        return f"is a damaged SVG image ({error}); save it again"
    if not isinstance(root.tag, str) or etree.QName(root).localname != "svg":
        return "is not an SVG image (its first element is not <svg>)"
    return None
