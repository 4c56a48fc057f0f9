"""Dated releases researchers cite: the snapshot's files and the pointer to the newest;
imports ``schema`` and the build's parser version."""
