"""Component ids shared across modules (page-local ids live in their page)."""

URL = "url"
NAVBAR = "navbar"
FOOTER = "footer"
PERIOD_PICKER = "period-picker"
LANG_SWITCH = "lang-switch"
FRESHNESS = "freshness"
DOWNLOAD = "download"
# Pattern-matching id of every download button: {"type": DOWNLOAD_BUTTON,
# "dataset": <name in downloads.DATASETS>, "args": "<a|b|c>", "fmt": "csv"|"xlsx"}
DOWNLOAD_BUTTON = "download-button"
