"""The archive: the database build, the public site, releases and the nianbao CLI.

Imports run one way: ``cli`` uses ``build``, ``web`` and ``release``; ``build`` writes what
``schema`` spells and ``agencies`` decides; ``web`` and ``release`` read the database the
build wrote and import nothing of ``build`` (but the release's parser version).
"""
