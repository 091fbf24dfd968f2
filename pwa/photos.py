"""What counts as a usable photo of a home visit (in the OT report, and in an imported export): a JPEG of at
most PHOTO_BYTES_MAX bytes. One rule: the server checks it here, and the clients page gets it as data
(photo_contract) to check the photos of a file it imports."""

from __future__ import annotations

from .export import PHOTO_BYTES_MAX

JPEG_MAGIC = b"\xff\xd8\xff"

__all__ = ["JPEG_MAGIC", "PHOTO_BYTES_MAX", "is_usable_photo", "photo_contract"]


def is_usable_photo(data: bytes) -> bool:
    return len(data) <= PHOTO_BYTES_MAX and data.startswith(JPEG_MAGIC)


def photo_contract() -> dict:
    return {"bytes_max": PHOTO_BYTES_MAX, "jpeg_magic": list(JPEG_MAGIC)}
