"""窗口: the window staff's desk (call, serve, finish, hold, transfer) and the rating pad."""
