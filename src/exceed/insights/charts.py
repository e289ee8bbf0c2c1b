"""The consistency page's two charts as SVG geometry, computed on the server (no JS library).

Each function turns a selector's figures into coordinates in a fixed view box; the template only
draws them, so the page reads the same with JavaScript off and prints as it looks.
"""

import math

from exceed.core.measures import funnel_limits

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 12, 36
_SAMPLES = 48


def _scale(low: float, high: float, start: float, end: float):
    span = (high - low) or 1.0
    return lambda value: round(start + (value - low) * (end - start) / span, 1)


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    raw = (high - low) / count or 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step) * step
    return [round(first + i * step, 6) for i in range(int((high - first) / step) + 1)]


def _points(pairs) -> str:
    return " ".join(f"{x},{y}" for x, y in pairs)


def funnel_chart(funnel: dict) -> dict | None:
    """The funnel plot: return score (y) against answers (x), the limits drawn as curves."""
    points = [point for point in funnel["points"] if point["return_score"].value is not None]
    if not points or funnel["center"] is None:
        return None
    center, variance = funnel["center"], funnel["unit_variance"]
    most = max(point["n"] for point in points)
    x_high = most * 1.08
    fewest = max(1.0, min(point["n"] for point in points) * 0.6)
    # The y range holds every point and the outer limits where the smallest point sits.
    outer_low = funnel_limits(center, variance, max(1, int(fewest)))[1]
    values = [point["return_score"].value for point in points]
    y_low = max(-100.0, min(values + [outer_low.low]) - 5)
    y_high = min(100.0, max(values + [outer_low.high]) + 5)
    x = _scale(0, x_high, LEFT, WIDTH - RIGHT)
    y = _scale(y_low, y_high, HEIGHT - BOTTOM, TOP)
    samples = [fewest * (x_high / fewest) ** (i / _SAMPLES) for i in range(_SAMPLES + 1)]
    curves = {"inner_low": [], "inner_high": [], "outer_low": [], "outer_high": []}
    for n in samples:
        inner, outer = funnel_limits(center, variance, max(1, round(n)))
        for name, value in (
            ("inner_low", inner.low),
            ("inner_high", inner.high),
            ("outer_low", outer.low),
            ("outer_high", outer.high),
        ):
            curves[name].append((x(n), y(min(max(value, y_low), y_high))))
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "curves": {name: _points(pairs) for name, pairs in curves.items()},
        "center": {"x1": x(0), "x2": x(x_high), "y": y(center)},
        "dots": [{**point, "x": x(point["n"]), "y": y(point["return_score"].value)} for point in points],
        "y_ticks": [{"value": tick, "y": y(tick)} for tick in _ticks(y_low, y_high)],
        "x_ticks": [{"value": int(tick), "x": x(tick)} for tick in _ticks(0, x_high) if tick == int(tick)],
        "plot": {"left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "bottom": HEIGHT - BOTTOM},
    }


def control_chart(weeks: dict) -> dict | None:
    """The p-chart: each week's bottom-box share, the centre line and each week's 3σ limits."""
    points = weeks["points"]
    if not points or weeks["center"].value is None:
        return None
    y_high = min(100.0, max([p["bottom_box"].value for p in points] + [p["limits"].high for p in points]) * 1.1 + 1)
    step = (WIDTH - LEFT - RIGHT) / len(points)
    y = _scale(0, y_high, HEIGHT - BOTTOM, TOP)
    upper, lower, dots = [], [], []
    for index, point in enumerate(points):
        start, end = LEFT + index * step, LEFT + (index + 1) * step
        upper += [(round(start, 1), y(point["limits"].high)), (round(end, 1), y(point["limits"].high))]
        lower += [(round(start, 1), y(point["limits"].low)), (round(end, 1), y(point["limits"].low))]
        dots.append({**point, "x": round(start + step / 2, 1), "y": y(point["bottom_box"].value)})
    every = max(1, math.ceil(len(points) / 8))
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "upper": _points(upper),
        "lower": _points(lower),
        "line": _points((dot["x"], dot["y"]) for dot in dots),
        "center": {"x1": LEFT, "x2": WIDTH - RIGHT, "y": y(weeks["center"].value)},
        "dots": dots,
        "x_labels": dots[::every],
        "y_ticks": [{"value": tick, "y": y(tick)} for tick in _ticks(0, y_high)],
        "plot": {"left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "bottom": HEIGHT - BOTTOM},
    }


def trend_chart(trend: list[dict]) -> dict | None:
    """The monthly report's six months: each month's return score as a dot with its 95 % interval
    as a whisker, on the whole −100…+100 scale so months read against each other and zero."""
    if not any(row["return_score"] is not None and row["return_score"].value is not None for row in trend):
        return None
    step = (WIDTH - LEFT - RIGHT) / len(trend)
    y = _scale(-100, 100, HEIGHT - BOTTOM, TOP)
    months = []
    for index, row in enumerate(trend):
        figure = row["return_score"]
        point = {**row, "x": round(LEFT + (index + 0.5) * step, 1), "y": None, "low_y": None, "high_y": None}
        if figure is not None and figure.value is not None:
            point["y"] = y(figure.value)
            if figure.low is not None and figure.high is not None:
                point["low_y"], point["high_y"] = y(figure.low), y(figure.high)
        months.append(point)
    dots = [point for point in months if point["y"] is not None]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "months": months,
        "dots": dots,
        "line": _points((dot["x"], dot["y"]) for dot in dots),
        "zero": y(0),
        "y_ticks": [{"value": tick, "y": y(tick)} for tick in (-100, -50, 0, 50, 100)],
        "plot": {"left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "bottom": HEIGHT - BOTTOM},
    }
