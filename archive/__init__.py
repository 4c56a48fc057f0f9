"""The archive: database build, Datasette publishing and the nianbao CLI."""
