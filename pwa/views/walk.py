"""The walk: home, "About me", one page per room, the summary of answers, and the warning signs.

Pages are the same for everyone, so the service worker can keep them offline. The person's answers live in
the browser; JavaScript fills them in and asks the API how the "About me" answers change the walk.
"""

from flask import Blueprint, abort, render_template

from ..export import contract as export_contract
from ..handoff import LINK_MAX_CHARS
from ..photos import photo_contract
from . import content

bp = Blueprint("walk", __name__)

# About 10 seconds to read a yes/no question and tap (tests/browser/walk_measure.py counts 5 s an answer, plus
# reading "About me" is slower than a room): said on the start page, so nobody is surprised by their number.
SECONDS_PER_ABOUT_QUESTION = 10


def about_size() -> dict:
    """How many questions "About me" asks everyone (follow-ups only appear after a yes), and the minutes."""
    profile = content().profile
    asked = 2 + sum(1 for q in profile.yes_no if not q.follows) + len(profile.text) + len(profile.screen.questions)
    return {"questions": asked, "minutes": max(1, round(asked * SECONDS_PER_ABOUT_QUESTION / 60))}


@bp.get("/")
def index():
    return render_template("index.html", sections=content().sections, about_size=about_size())


@bp.get("/about-me")
def about_me():
    return render_template(
        "about_me.html", profile=content().profile, first_room=content().sections[0], about_size=about_size()
    )


@bp.get("/rooms/<section_id>")
def room(section_id: str):
    sections = content().sections
    position = next((i for i, s in enumerate(sections) if s.id == section_id), None)
    if position is None:
        abort(404)
    return render_template(
        "room.html",
        section=sections[position],
        number=position + 1,
        total=len(sections),
        previous=sections[position - 1] if position > 0 else None,
        following=sections[position + 1] if position + 1 < len(sections) else None,
        kind_labels=content().kind_labels,
    )


@bp.get("/summary")
def summary():
    return render_template("summary.html", sections=content().sections, kind_labels=content().kind_labels)


@bp.get("/red-flags")
def red_flags():
    return render_template("red_flags.html", red_flags=content().red_flags)


# Home visits. Pages like the others (the same for everyone, kept offline); the clients and visits live in the
# browser. A person using SafeSteps alone reaches them only by asking (a link on the start page).
@bp.get("/clients")
def clients():
    return render_template("clients.html", export_format=export_contract(), photo_rule=photo_contract())


@bp.get("/visit")
def visit():
    return render_template("visit.html", sections=content().sections)


@bp.get("/handoff")
def handoff():
    # The assessment is in the link's fragment, which the browser never sends: this page is the same for all.
    return render_template("handoff.html", link_max=LINK_MAX_CHARS)
