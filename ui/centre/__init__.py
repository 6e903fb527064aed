"""中心: the administrator's and the director's workspaces."""
