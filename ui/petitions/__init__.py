"""信访: the petition desk and its clocks."""
