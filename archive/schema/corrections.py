"""The corrections file's name and columns: the build applies it, the release carries it,
the CLI appends to it (archive.build.corrections)."""

FILE = "corrections.csv"
FIELDS = ("sha256", "key", "value", "reason", "who", "date", "evidence")
