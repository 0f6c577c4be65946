import csv
import io

from rest_framework.renderers import BaseRenderer

from core.spreadsheets import neutralise_row


def _flatten(row, prefix=""):
    flat = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = "; ".join(
                str(item.get("id", item)) if isinstance(item, dict) else str(item) for item in value
            )
        else:
            flat[name] = "" if value is None else value
    return flat


class CSVRenderer(BaseRenderer):
    """`?format=csv`: the page's rows as CSV (nested objects flattened to dotted columns).

    Error bodies are rendered as a one-row CSV of their fields so a client still gets 4xx + text.
    Text that a spreadsheet would run as a formula is neutralised (core.spreadsheets).

    A view whose rows hold a list of rows (the series: an indicator and its years) gives its
    own flat table: `view.csv_table(rows)` returns (columns, rows) or None.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict) and "results" in data:
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]
        table = self._view_table(rows, renderer_context)
        if table is not None:
            columns, flat_rows = table
        else:
            flat_rows = [_flatten(row) if isinstance(row, dict) else {"value": row} for row in rows]
            columns = list(dict.fromkeys(key for row in flat_rows for key in row))
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        # Headers too: an error body's keys can be the caller's query parameters.
        writer.writerow(neutralise_row(columns))
        writer.writerows(
            neutralise_row(row.get(column, "") for column in columns) for row in flat_rows
        )
        # A BOM so that Excel, which city staff open CSV files with, reads the Cyrillic right.
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")

    @staticmethod
    def _view_table(rows, renderer_context):
        context = renderer_context or {}
        response = context.get("response")
        if response is not None and response.status_code >= 400:
            return None
        table = getattr(context.get("view"), "csv_table", None)
        return table(rows) if table is not None else None
