"""What counts as a usable photo of a home visit (in the OT report, and in an imported export): a JPEG of at
most PHOTO_BYTES_MAX bytes. One rule: the server checks it here, and the clients page gets it as data
(photo_contract) to check the photos of a file it imports."""

from __future__ import annotations

from .assessment import PHOTOS_PER_ITEM
from .export import PHOTO_BYTES_MAX

JPEG_MAGIC = b"\xff\xd8\xff"

__all__ = ["JPEG_MAGIC", "PHOTO_BYTES_MAX", "is_usable_photo", "photo_contract", "photo_name", "photo_names"]


def photo_name(item_id: str, slot: int) -> str:
    """An item's photo in a visit form (`photo:<name>`) and in a render: `<item id>` for its first (slot 0),
    `<item id>:<slot>` for slots 1 to PHOTOS_PER_ITEM - 1 (static/js/visit.js sends them so)."""
    return f"{item_id}:{slot}" if slot else item_id


def photo_names(item_id: str) -> list[str]:
    return [photo_name(item_id, slot) for slot in range(PHOTOS_PER_ITEM)]


def is_usable_photo(data: bytes) -> bool:
    return len(data) <= PHOTO_BYTES_MAX and data.startswith(JPEG_MAGIC)


def photo_contract() -> dict:
    return {"bytes_max": PHOTO_BYTES_MAX, "jpeg_magic": list(JPEG_MAGIC)}
