"""The OT report's photos, checked before any reaches the renderer. A JPEG's header says how many pixels it
will take once decoded, whatever its size in bytes: an 847-byte JPEG can claim 13,000 x 13,000 pixels and cost
the renderer 1.4 GB. Pillow reads the header without decoding the picture."""

from __future__ import annotations

import io
import warnings

from ..exceptions import SafeStepsError


class PhotoRefused(SafeStepsError, ValueError):
    """A photo sent for the OT report is not one the renderer may be given. Its message is the name of the
    words for it in templates/error_words.txt."""

    code = "bad-photo"

    @property
    def words_name(self) -> str:
        return str(self)


# A photo of the OT report: at most this many pixels (the app sends photos of 1280 px at most; a camera's own
# photo is about 12 MP), and all of a report's photos together at most this many.
PHOTO_PIXELS_MAX = 4096 * 4096
REPORT_PIXELS_MAX = 48 * 1024 * 1024


def check_photos(photos: dict[str, tuple[bytes, str]]) -> None:
    """Refuses (PhotoRefused) a photo that is not a JPEG, is over PHOTO_PIXELS_MAX, or takes the report over
    REPORT_PIXELS_MAX; only the headers are read."""
    from PIL import Image, UnidentifiedImageError

    total = 0
    for data, _ in photos.values():
        try:
            with warnings.catch_warnings():  # Pillow warns of a bomb it is only asked to measure
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image = Image.open(io.BytesIO(data))
            with image:
                if image.format != "JPEG":
                    raise PhotoRefused("photo_unreadable")
                pixels = image.width * image.height
        except Image.DecompressionBombError:  # claims even more pixels than Pillow would open
            raise PhotoRefused("photo_too_large") from None
        except (UnidentifiedImageError, OSError):
            raise PhotoRefused("photo_unreadable") from None
        if pixels > PHOTO_PIXELS_MAX:
            raise PhotoRefused("photo_too_large")
        total += pixels
    if total > REPORT_PIXELS_MAX:
        raise PhotoRefused("photos_too_large")
