"""吹哨报到: the whistle desk, the departments' desk and the month's assessment."""
