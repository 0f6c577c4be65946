import json
import logging

REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "user_id", "username")


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object a line, with the request fields when present."""

    def format(self, record):
        payload = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in REQUEST_FIELDS:
            if hasattr(record, field):
                payload[field] = getattr(record, field)
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)
