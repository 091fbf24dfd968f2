"""The one base class of every refusal the domain raises, in a leaf module that imports nothing.

Each domain module raises its own subclass (AssessmentError, PlanTooLong, RenderBusy...), and says there what it
answers with: a status, a code and its words. `pwa/errors.py` handles them all with one handler, so it imports
no domain module (and none of their heavy dependencies).
"""

from __future__ import annotations


class SafeStepsError(Exception):
    """A request the app refuses, in plain words: `{"error": code, "message": words}` or the error page."""

    status: int = 400
    code: str = "bad-request"
    # The name of its words in templates/error_words.txt; None when the message itself is the plain words.
    words_name: str | None = None
    # Seconds after which trying again can work (a Retry-After header); None for a refusal that will not pass.
    retry_after: int | None = None
