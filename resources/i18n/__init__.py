"""Translations of the program (hall_<lang>.ts sources, .qm compiled); see ui/i18n.py."""
