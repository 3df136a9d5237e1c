"""The video wall and its presenter: playlist (wall.yaml), shared presenter
state (SQLite), the wall's JSON endpoint, and the slide renderer."""
