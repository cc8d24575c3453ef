"""Horizontal bar charts drawn as SVG on the server, with every number written as text (no
JavaScript, prints as it shows). The template ``reports/includes/bar_chart.html`` draws them."""

from django.utils.formats import number_format

WIDTH = 760
LABEL_WIDTH = 230
VALUE_WIDTH = 220
ROW_HEIGHT = 26
BAR_HEIGHT = 16
TOP = 6


def percent(fraction):
    if fraction is None:
        return "—"
    return f"{number_format(round(fraction * 100, 1), decimal_pos=1)} %"


def bar_chart(chart_id, title, rows, *, fractions=False):
    """``rows``: (label, value) pairs, or (label, value, text) to write something other than the
    value. With ``fractions`` the values are shares between 0 and 1 and bars are on a 100 % scale;
    otherwise the longest bar is the largest value."""
    rows = [r if len(r) == 3 else (r[0], r[1], None) for r in rows]
    if fractions:
        top = 1
    else:
        top = max([v or 0 for _label, v, _text in rows] + [0]) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value, text) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        width = round(span * min(max(value or 0, 0), top) / top, 1)
        if text is None:
            text = percent(value) if fractions else number_format(value or 0, force_grouping=True)
        bars.append({
            "label": str(label), "text": text, "y": y, "bar_y": y + (ROW_HEIGHT - BAR_HEIGHT) / 2,
            "text_y": y + ROW_HEIGHT / 2 + 5, "width": width, "value_x": LABEL_WIDTH + span + 8,
        })
    return {
        "id": chart_id, "title": title, "bars": bars, "width": WIDTH, "height": TOP * 2 + ROW_HEIGHT * len(rows),
        "label_width": LABEL_WIDTH, "bar_x": LABEL_WIDTH, "bar_height": BAR_HEIGHT, "track": span,
        "label_x": LABEL_WIDTH - 8,
    }
