"""View models for the result and history pages (display only, no rules)."""

from flask_babel import gettext as _

from lernpfad.assessments.charts import radar_chart
from lernpfad.assessments.scoring import format_number


def dimension_rows(model: dict, result, role_key: str) -> list[dict]:
    """Per dimension: level, its name and descriptor, the target and how the level came about."""
    target = _target(model, role_key)
    names = {int(k): v for k, v in model["level_names"].items()}
    rows = []
    for dim in model["dimensions"]:
        key = dim["key"]
        level = result.levels.get(key, 0)
        detail = result.details.get(key, {})
        rows.append(
            {
                "key": key,
                "label": dim["label"],
                "level": level,
                "level_name": names.get(level, ""),
                "descriptor": dim["levels"].get(level) or dim["levels"].get(str(level), ""),
                "target": target.get(key, 0),
                "target_name": names.get(target.get(key, 0), ""),
                "gap": max(0, target.get(key, 0) - level),
                "self_rating": format_number(detail.get("self_rating", 0)),
                "correct": detail.get("correct", 0),
                "total": detail.get("total", 0),
            }
        )
    return rows


def _target(model: dict, role_key: str) -> dict:
    for role in model["roles"]:
        if role["key"] == role_key:
            return role["target"]
    return {}


def role_label(model: dict, role_key: str | None) -> str:
    for role in model["roles"]:
        if role["key"] == role_key:
            return role["label"]
    return role_key or ""


def chart_for(model: dict, result, role_key: str):
    dimensions = [(d["key"], d["label"]) for d in model["dimensions"]]
    return radar_chart(dimensions, result.levels, _target(model, role_key))


def gap_sentences(rows: list[dict]) -> list[str]:
    """The gaps in words, largest first."""
    sentences = []
    for row in sorted((r for r in rows if r["gap"] > 0), key=lambda r: -r["gap"]):
        if row["gap"] == 1:
            text = _(
                "In „%(label)s“ fehlt Ihnen eine Stufe zum Ziel (%(target)s).",
                label=row["label"],
                target=row["target_name"],
            )
        else:
            text = _(
                "In „%(label)s“ fehlen Ihnen %(n)d Stufen zum Ziel (%(target)s).",
                label=row["label"],
                n=row["gap"],
                target=row["target_name"],
            )
        sentences.append(text)
    return sentences


def history_rows(model: dict, results: list) -> list[dict]:
    """Results newest first, each with the change per dimension against the one before."""
    rows = []
    for index, result in enumerate(results):
        previous = results[index + 1] if index + 1 < len(results) else None
        cells = []
        for dim in model["dimensions"]:
            level = result.levels.get(dim["key"], 0)
            change = None if previous is None else level - previous.levels.get(dim["key"], 0)
            cells.append({"level": level, "change": change})
        rows.append({"result": result, "cells": cells})
    return rows
