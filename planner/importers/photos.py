"""Contact photos: any JPEG, PNG or GIF made once into a small square thumbnail.

A photo arrives inside a vCard (2.1 base64 or quoted-printable, 3.0
``ENCODING=b``, 4.0 ``data:`` URI), in a JSON export, or from the window
("Choose Picture…"). Whatever its size, it is cropped to the middle square
and scaled to at most :data:`THUMBNAIL` pixels once, here, and only that is
stored. Pillow does the image work (no Qt outside the UI layers). A damaged,
huge or unknown picture raises ``ValueError`` with a short reason: the caller
loses the photo, never the person.
"""

from __future__ import annotations

import base64
import binascii
import io
import warnings

THUMBNAIL = 256  # pixels, the side of the stored square
MAX_PHOTO_BYTES = 10 * 1024 * 1024  # a picture bigger than this is refused, not decoded
MAX_PIXELS = 50_000_000  # width × height; more is a decompression bomb, not a face
MAX_STORED_BYTES = 256 * 1024  # a stored (or restored) thumbnail is never more than this
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}


def thumbnail(data: bytes) -> bytes:
    """A square thumbnail (PNG, or JPEG for photographs) of the picture in ``data``."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not data:
        raise ValueError("the picture is empty")
    if len(data) > MAX_PHOTO_BYTES:
        raise ValueError(
            f"the picture is too large ({len(data) // (1024 * 1024)} MB; the limit is "
            f"{MAX_PHOTO_BYTES // (1024 * 1024)} MB)"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise ValueError(f"the picture is {image.format or 'of an unknown kind'}, "
                                 "not JPEG, PNG or GIF")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValueError(f"the picture is too large ({width}×{height} pixels)")
            image.load()  # a damaged picture fails here, whatever its header says
            if _already_thumbnail(image, data):
                return data  # ours (an export read back): kept byte for byte
            image = ImageOps.exif_transpose(image)
    except ValueError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValueError("the picture is too large (too many pixels)") from None
    except (UnidentifiedImageError, OSError, SyntaxError, EOFError) as err:
        known = photo_type(data) or data.startswith(b"BM")
        reason = "not a JPEG, PNG or GIF picture" if isinstance(err, UnidentifiedImageError) \
            and not known else "the picture is damaged"
        raise ValueError(reason) from None
    return _square(image)


def _already_thumbnail(image, data: bytes) -> bool:
    """A small square PNG or JPEG without a rotation to apply: what :func:`thumbnail` makes."""
    return (
        image.format in ("PNG", "JPEG")
        and image.width == image.height <= THUMBNAIL
        and len(data) <= MAX_STORED_BYTES
        and image.getexif().get(0x0112, 1) == 1  # no EXIF orientation to apply
    )


def _square(image) -> bytes:
    from PIL import Image

    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    image = image.crop((left, top, left + side, top + side))
    if side > THUMBNAIL:
        image = image.resize((THUMBNAIL, THUMBNAIL), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if has_alpha or image.mode == "P":
        image.convert("RGBA" if has_alpha else "RGB").save(out, "PNG", optimize=True)
    else:
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def photo_type(data: bytes) -> str:
    """``image/png``, ``image/jpeg`` or ``image/gif`` from the first bytes; "" if none."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    return ""


def check_stored(data: bytes) -> None:
    """A thumbnail read back (a JSON export): small, and a picture of a known type."""
    if len(data) > MAX_STORED_BYTES:
        raise ValueError(f"too large for a thumbnail ({len(data)} bytes; the limit is "
                         f"{MAX_STORED_BYTES})")
    if not photo_type(data):
        raise ValueError("not a JPEG, PNG or GIF picture")


def data_uri(data: bytes) -> str:
    """The thumbnail as a vCard 4.0 ``data:`` URI."""
    return f"data:{photo_type(data) or 'image/jpeg'};base64,{base64.b64encode(data).decode()}"


def photo_from_property(prop) -> bytes:
    """The thumbnail of a vCard PHOTO property (an inline picture); b"" for a link."""
    value = prop.value.strip()
    encoding = prop.param("ENCODING").upper()
    if value.lower().startswith("data:"):
        head, comma, body = value.partition(",")
        if not comma or ";base64" not in head.lower():
            raise ValueError("the photo's data: URI is not base64")
        raw = _base64(body)
    elif encoding in ("B", "BASE64") or "base64" in prop.types or "b" in prop.types:
        raw = _base64(value)
    elif encoding == "QUOTED-PRINTABLE" or "quoted-printable" in prop.types:
        raw = value.encode("latin-1", "replace")  # vcard_lines kept the decoded bytes as Latin-1
    elif "://" in value:
        raise ValueError("the photo is a link, not a picture in the file")
    else:
        return b""
    return thumbnail(raw)


def _base64(text: str) -> bytes:
    try:
        return binascii.a2b_base64("".join(text.split()).encode("ascii"), strict_mode=False)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise ValueError("the photo is damaged (not valid base64)") from None
