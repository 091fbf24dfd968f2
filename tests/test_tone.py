"""Tone (issue 19.12): the room intros say once, not ten times, that a bone cancer has made weak can break."""

import re

REPEATED = re.compile(r"bone (that )?(cancer has made weak|with cancer in it)", re.IGNORECASE)


def test_the_weak_bone_sentence_is_said_at_most_a_few_times(content):
    saying = [section.id for section in content.sections if REPEATED.search(section.intro)]
    # Where it helps: everyday moves (not only falls), exercise load, and checking after a fall.
    assert len(saying) <= 3, saying
    assert "entrance" not in saying  # the start page already says it, just before the first room
