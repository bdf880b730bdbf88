"""Relation-temperature endpoint (shown when coded event data are loaded)."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import FastAPI, HTTPException, Query

from tightrope.exposure import default_powers
from tightrope.ingest.codes import country_codes

__all__ = ["mount"]

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def mount(app: FastAPI) -> None:
    @app.get("/api/events/panel/{country}")
    def events_panel(country: str, start: str | None = Query(None, max_length=7),
                     end: str | None = Query(None, max_length=7)) -> dict[str, Any]:
        """Monthly relation temperature with each default power, change points and the
        events around them."""
        from tightrope.events import panel
        from tightrope.events.explain import explain_panel, has_events
        from tightrope.report.events import panel_figure

        if len(country) > 64:
            raise HTTPException(422, "country name too long (at most 64 characters)")
        for name, v in (("start", start), ("end", end)):
            if v is not None and not MONTH.match(v):
                raise HTTPException(422, f"{name} {v!r} is not a month YYYY-MM")
        if start and end and start > end:
            raise HTTPException(422, "start is after end")
        iso3 = country_codes().resolve(country)
        with app.state.handle.store() as s:
            if not has_events(s, iso3):
                raise HTTPException(404, f"no coded events with {iso3} in the store")
            p = panel(s, iso3, list(default_powers(iso3)), start, end)
            d = p.to_dict()
            expl = explain_panel(s, d)
            from tightrope.events.forecast_service import forecast_block

            forecast = forecast_block(s, iso3, list(default_powers(iso3)))
        fig: dict[str, Any] = json.loads(panel_figure(p).to_json())
        return {"result": d, "figure": fig, "explanations": expl, "forecast": forecast}
