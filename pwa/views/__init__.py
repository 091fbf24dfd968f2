"""Blueprints: the walk's pages, the JSON API, the plan and its PDF, and the installable-app files."""

from flask import current_app

from ..content import Content


def content() -> Content:
    return current_app.extensions["safesteps.content"]
