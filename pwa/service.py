"""The service that runs SafeSteps for its people: its name, and its 24-hour number as everyone's default.

Set with SAFESTEPS_SERVICE_NAME and SAFESTEPS_CARE_LINE_NUMBER (both empty by default). The number stands in for
the care team's number wherever a person gave none (About me): on the warning signs, in the plan and its PDFs,
and in the ranking (a person with the service's number is not "without a number"). A number the person gave
always wins. Both are checked at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from .assessment import TEXT_MAX, Assessment
from .template_helpers import tel_href

EXTENSION_KEY = "safesteps.service"


class ServiceSettingError(ValueError):
    """A service setting cannot be used; the message names the setting."""


@dataclass(frozen=True)
class Service:
    name: str = ""
    care_line_number: str = ""

    @classmethod
    def from_config(cls, config) -> Service:
        # from_prefixed_env reads values as JSON where they parse: a number typed without spaces is an int.
        name = str(config.get("SERVICE_NAME") or "").strip()
        number = str(config.get("CARE_LINE_NUMBER") or "").strip()
        if number and not tel_href(number):
            raise ServiceSettingError(f"SAFESTEPS_CARE_LINE_NUMBER={number!r} is not a phone number")
        for setting, value in (("SAFESTEPS_SERVICE_NAME", name), ("SAFESTEPS_CARE_LINE_NUMBER", number)):
            if len(value) > TEXT_MAX or "\n" in value:
                raise ServiceSettingError(f"{setting} must be one line of at most {TEXT_MAX} characters")
        return cls(name=name, care_line_number=number)

    def fill(self, assessment: Assessment) -> Assessment:
        """The assessment with the service's number as the care team's, when the person gave none."""
        if not self.care_line_number or assessment.profile.care_team_phone.strip():
            return assessment
        profile = assessment.profile.model_copy(update={"care_team_phone": self.care_line_number})
        return assessment.model_copy(update={"profile": profile})


def init_app(app: Flask) -> Service:
    service = Service.from_config(app.config)
    app.extensions[EXTENSION_KEY] = service
    # Pages and PDFs alike: service.name, service.care_line_number.
    app.add_template_global(service, "service")
    return service


def service() -> Service:
    return current_app.extensions[EXTENSION_KEY]
