"""仲裁: the arbitration clerk's register, case actions, deadline board and documents."""
