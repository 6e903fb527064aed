"""叫号屏: the hall's call board, the display above a window and the voice that announces calls."""
