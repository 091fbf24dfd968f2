"""The addresses and codes both FHIR resources use: the Questionnaire's URL, our CodeSystems, UCUM's units."""

from __future__ import annotations

BASE = "https://safesteps.example/fhir"
QUESTIONNAIRE_ID = "safesteps-checklist"
QUESTIONNAIRE_URL = f"{BASE}/Questionnaire/{QUESTIONNAIRE_ID}"
ANSWER_SYSTEM = f"{BASE}/CodeSystem/answer"
PRIORITY_SYSTEM = f"{BASE}/CodeSystem/priority"
PRIORITY_WORDS = {"high": "High", "medium": "Medium", "low": "Low"}
# The place's unit (places.yaml) as UCUM writes it.
UCUM = "http://unitsofmeasure.org"
UCUM_CODES = {"mm": "mm", "in": "[in_i]"}
OPTION_SYSTEM = f"{BASE}/CodeSystem/option"
